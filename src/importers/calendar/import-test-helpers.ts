/** Test helpers shared by the calendar and contacts importer tests. */
import { expect } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import type { Importer } from '../importer.js';
import { createImportSource } from '../source/import-source.js';

/** The `import_invalid` error a promise rejects with (the test fails otherwise). */
export async function importRejection(promise: Promise<unknown>): Promise<FoyerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FoyerError);
  expect((error as FoyerError).code).toBe('import_invalid');
  return error as FoyerError;
}

/**
 * Parses a generated file chunk by chunk and reports how many records came out, and how many
 * chunks had been read when the first one did: a streaming importer yields before the end.
 */
export async function streamThrough(
  importer: Importer,
  chunks: () => Iterable<string>,
  onRecord: (data: Record<string, unknown>, index: number) => void,
): Promise<{ count: number; chunksReadAtFirst: number }> {
  let read = 0;
  const source = await createImportSource({
    name: 'big',
    size: null,
    async *open() {
      for (const chunk of chunks()) {
        read++;
        yield Buffer.from(chunk);
      }
    },
  });
  read = 0;
  const ctx = { warn: () => undefined, options: {}, timeZone: 'Europe/Paris', now: Date.parse('2026-11-24T12:00:00Z') };
  let count = 0;
  let chunksReadAtFirst = -1;
  for await (const record of importer.parse(source, ctx)) {
    if (count === 0) chunksReadAtFirst = read;
    onRecord(record.data, count++);
  }
  return { count, chunksReadAtFirst };
}
