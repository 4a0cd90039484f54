/**
 * The elements of a file whose JSON is one top-level array (Spotify's histories), streamed with
 * their line, whatever the file's size. Shared by the media importers.
 */
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';
import { jsonValues } from '../json/json-stream.js';

export interface JsonItem {
  value: unknown;
  /** Line the element starts on. */
  line: number;
}

export async function* rootArrayItems(source: ImportSource, what: string): AsyncIterable<JsonItem> {
  const values = jsonValues(source, {
    select: (path, kind) => {
      if (path.length === 0) {
        if (kind !== 'array') throw importError(source.name, `the file is not a list of ${what}.`, 1);
        return 'descend';
      }
      return 'value';
    },
  });
  for await (const batch of values) for (const { value, line } of batch) yield { value, line };
}

/** The elements of a top-level array that must all be objects: any other element stops the import. */
export async function* rootArrayObjects(
  source: ImportSource,
  what: string,
): AsyncIterable<{ value: Record<string, unknown>; line: number }> {
  for await (const { value, line } of rootArrayItems(source, what)) {
    if (!isRecord(value)) throw importError(source.name, 'an entry of the list is not an object.', line);
    yield { value, line };
  }
}

/** A plain JSON object (not an array, not null), for narrowing parsed values. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A non-empty trimmed string, cut to `max` characters (the doctypes' limits: longer is junk, and
 * a record must stay valid), or undefined.
 */
export function text(value: unknown, max = 1000): string | undefined {
  if (typeof value !== 'string') return undefined;
  const t = value.trim();
  if (t === '') return undefined;
  return t.length > max ? t.slice(0, max) : t;
}
