import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { sourceFromBytes } from '../source/import-source.js';
import { jsonValues, type JsonValue } from './json-values.js';

async function collect(text: string, paths: string[], multipleDocuments = false): Promise<JsonValue[]> {
  const out: JsonValue[] = [];
  for await (const v of jsonValues(await sourceFromBytes('data.json', text), { paths, multipleDocuments })) out.push(v);
  return out;
}

async function failure(text: string, paths: string[], multipleDocuments = false) {
  try {
    await collect(text, paths, multipleDocuments);
  } catch (e) {
    if (isFoyerError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

describe('jsonValues', () => {
  it('yields the values at the paths with their path and the line they start on', async () => {
    const text =
      '{\n "meter_reading": {\n  "usage_point_id": "09123456789012",\n  "interval_reading": [\n   {"value": "1"},\n   {"value": "2"}\n  ]\n }\n}\n';
    expect(await collect(text, ['$.meter_reading.usage_point_id', '$.meter_reading.interval_reading.*'])).toEqual([
      { value: '09123456789012', path: ['meter_reading', 'usage_point_id'], line: 3 },
      { value: { value: '1' }, path: ['meter_reading', 'interval_reading', 0], line: 5 },
      { value: { value: '2' }, path: ['meter_reading', 'interval_reading', 1], line: 6 },
    ]);
  });

  it('counts lines exactly across many chunks', async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `  {"i": ${i}, "pad": "${'x'.repeat(i % 40)}"}`);
    const values = await collect(`[\n${items.join(',\n')}\n]\n`, ['$.*']);
    expect(values).toHaveLength(3000);
    expect(values[2999]).toMatchObject({ value: { i: 2999 }, line: 3001 });
  });

  it('reads newline-delimited documents one after another', async () => {
    expect((await collect('{"a":1}\n{"a":2}\n', ['$'], true)).map((v) => [v.value, v.line])).toEqual([
      [{ a: 1 }, 1],
      [{ a: 2 }, 2],
    ]);
  });

  it('names truncated and invalid JSON with the line', async () => {
    expect(await failure('{"a": [1,\n2', ['$.a.*'])).toEqual({
      code: 'import_invalid',
      message: 'data.json, line 2: the JSON ends before it is complete (truncated?).',
    });
    expect(await failure('{"a":1}\n{"a":', ['$'], true)).toMatchObject({ message: /line 2: the JSON ends before/ });
    expect(await failure('{"a": [1,\n 2 x]}', ['$.a.*'])).toEqual({
      code: 'import_invalid',
      message: 'data.json, line 2: this is not valid JSON (unexpected "x" at byte 13).',
    });
    expect(await failure('{"a" 1}', ['$.a'])).toEqual({
      code: 'import_invalid',
      message: 'data.json, line 1: this is not valid JSON (unexpected 1).',
    });
  });
});
