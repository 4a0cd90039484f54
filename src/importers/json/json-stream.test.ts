import { describe, it, expect } from 'vitest';
import { isFoyerError, type FoyerError } from '../../core/errors.js';
import { createImportSource, sourceFromBytes } from '../source/import-source.js';
import type { ImportSource } from '../importer.js';
import { jsonValues, type JsonPath, type JsonValueAt } from './json-stream.js';

/** A source that hands out the text `size` bytes at a time, to put chunk ends everywhere. */
function chunkedSource(text: string, size: number): Promise<ImportSource> {
  const bytes = new TextEncoder().encode(text);
  return createImportSource({
    name: 'chunked.json',
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
  });
}

const itemsOf = (key: string) => (path: JsonPath) =>
  path.length === 0 || (path.length === 1 && path[0] === key) ? 'descend' : path.length === 2 ? 'value' : 'skip';

async function collect(source: ImportSource, select = itemsOf('items')): Promise<JsonValueAt[]> {
  const all: JsonValueAt[] = [];
  for await (const batch of jsonValues(source, { select })) all.push(...batch);
  return all;
}

async function failure(text: string, select = itemsOf('items')): Promise<FoyerError> {
  try {
    await collect(await sourceFromBytes('bad.json', text), select);
  } catch (e) {
    if (isFoyerError(e)) return e;
    throw e;
  }
  throw new Error('expected an import error');
}

const SAMPLE = [
  '{',
  '  "skipped": {"a": [1, 2, {"b": "} ] { ["}], "c": "\\"quoted\\" \\\\"},',
  '  "items": [',
  '    {"n": 1, "s": "line\\nbreak \\u00e9 \\\\\\" end"},',
  '    {"n": 2, "nested": [[1], {"x": null}]},',
  '    3, "four", true, null, -5.5e3',
  '  ],',
  '  "after": "ignored"',
  '}',
].join('\n');

describe('jsonValues', () => {
  it('yields the selected values with their paths and lines, skipping the rest', async () => {
    const values = await collect(await sourceFromBytes('sample.json', SAMPLE));
    expect(values.map((v) => v.value)).toEqual([
      { n: 1, s: 'line\nbreak é \\" end' },
      { n: 2, nested: [[1], { x: null }] },
      3,
      'four',
      true,
      null,
      -5500,
    ]);
    expect(values.map((v) => v.path)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => ['items', i]));
    expect(values.map((v) => v.line)).toEqual([4, 5, 6, 6, 6, 6, 6]);
  });

  it('gives the same values and lines whatever the chunk boundaries', async () => {
    const expected = await collect(await sourceFromBytes('sample.json', SAMPLE));
    for (const size of [1, 2, 3, 5, 7, 11, 64]) {
      expect(await collect(await chunkedSource(SAMPLE, size)), `chunks of ${size}`).toEqual(expected);
    }
  });

  it('keeps escaped quotes and backslash runs cut by a chunk end', async () => {
    const text = '{"items": ["a\\\\", "b\\"c", "\\\\\\\\\\"d", "e"]}';
    for (const size of [1, 2, 3, 4]) {
      const values = await collect(await chunkedSource(text, size), itemsOf('items'));
      expect(values.map((v) => v.value)).toEqual(['a\\', 'b"c', '\\\\"d', 'e']);
    }
  });

  it('skips values whose strings hold backslashes across chunk ends', async () => {
    const text = '{"skip": ["x\\\\", "y\\"]"], "items": [1]}';
    for (const size of [1, 2, 3]) {
      const values = await collect(await chunkedSource(text, size));
      expect(values.map((v) => v.value)).toEqual([1]);
    }
  });

  it('reads a top-level array and a top-level scalar', async () => {
    const array = await collect(await sourceFromBytes('a.json', '[{"a":1},{"a":2}]'), (p) =>
      p.length === 0 ? 'descend' : 'value',
    );
    expect(array.map((v) => v.value)).toEqual([{ a: 1 }, { a: 2 }]);
    const scalar = await collect(await sourceFromBytes('s.json', ' 42 '), () => 'value');
    expect(scalar.map((v) => v.value)).toEqual([42]);
  });

  it('rejects a file cut short, naming the line', async () => {
    const e = await failure('{"items": [\n{"n": 1},\n{"n": 2');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toContain('bad.json, line 3');
    expect(e.message).toContain('truncated');
    expect((await failure('{"items": [1, 2')).message).toContain('truncated');
    expect((await failure('{"items": [1], "skipped": {"a": "unterminated')).message).toContain('truncated');
  });

  it('rejects broken JSON inside a selected value with the line it starts on', async () => {
    const e = await failure('{"items": [\n{"n": 1},\n{"n": 1,, "m": 2}\n]}');
    expect(e.message).toMatch(/^bad\.json, line 3: the entry .* is not valid JSON/);
  });

  it('rejects broken structure between values', async () => {
    expect((await failure('{"items": [1 2]}')).message).toContain('unexpected "2"');
    expect((await failure('{"items": [1]} trailing')).message).toContain('unexpected "t"');
    expect((await failure('{"items" [1]}')).message).toContain('unexpected "["');
    expect((await failure('{"skip": [1}, "items": []}')).message).toContain('closes nothing');
    expect((await failure('{"items": [1]}\n}')).message).toContain('line 2');
  });

  it('rejects an empty file and nesting too deep to be an export', async () => {
    expect((await failure('   \n ')).message).toContain('no JSON at all');
    expect((await failure(`{"items": [${'['.repeat(1000)}`)).message).toContain('nested too deeply');
    expect((await failure('['.repeat(1000), () => 'descend')).message).toContain('nested too deeply');
  });

  it('refuses a selected value larger than the limit', async () => {
    const text = `{"items": ["${'x'.repeat(200_000)}"]}`;
    const source = await chunkedSource(text, 10_000);
    await expect(async () => {
      for await (const batch of jsonValues(source, { select: itemsOf('items'), maxValueChars: 100_000 })) void batch;
    }).rejects.toThrow(/longer than 100,000 characters/);
  });
});
