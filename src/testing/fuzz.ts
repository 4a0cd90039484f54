/**
 * Deterministic fuzzing of importers: seeded mutations of real fixtures. Each case must end in a
 * clean import (every record valid for its doctype) or a FoyerError, never another exception.
 */
import { expect } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import { isFoyerError } from '../core/errors.js';
import type { Importer } from '../importers/importer.js';
import { sourceFromBytes } from '../importers/source/import-source.js';

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JUNK = [
  '\u0000',
  '\uFFFD',
  '<',
  '>',
  '"',
  ';',
  ',',
  '\n',
  '\r',
  '-',
  '9999999999999',
  '<!ENTITY x "y">',
  '&x;',
  '{',
  '}',
  '[',
  ']',
  'é',
  '\u00A0',
];

/** One mutation of `bytes`: flips, truncation, a line removed or doubled, junk inserted. */
export function mutate(bytes: Uint8Array, random: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(random() * n);
  const buf = Buffer.from(bytes);
  switch (pick(7)) {
    case 0: {
      const out = Buffer.from(buf);
      for (let i = 0, n = 1 + pick(8); i < n && out.length > 0; i++) out[pick(out.length)] = pick(256);
      return out;
    }
    case 1:
      return buf.subarray(0, pick(buf.length + 1));
    case 2:
    case 3: {
      const lines = buf.toString('latin1').split('\n');
      const at = pick(lines.length);
      if (pick(2) === 0) lines.splice(at, 1);
      else lines.splice(at, 0, lines[at] ?? '');
      return Buffer.from(lines.join('\n'), 'latin1');
    }
    case 4: {
      const at = pick(buf.length + 1);
      const junk = Buffer.from(JUNK[pick(JUNK.length)]!, 'utf8');
      return Buffer.concat([buf.subarray(0, at), junk, buf.subarray(at)]);
    }
    case 5: {
      // Replace a run of digits by another number, maybe absurd.
      const text = buf.toString('latin1');
      const matches = [...text.matchAll(/\d+/g)];
      const m = matches[pick(matches.length)];
      if (!m || m.index === undefined) return buf;
      const replacement = ['0', '99', '-1', '1e308', '31', '13', '2400', '000000'][pick(8)]!;
      return Buffer.from(text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length), 'latin1');
    }
    default: {
      const a = pick(buf.length + 1);
      const b = Math.min(buf.length, a + pick(64));
      return Buffer.concat([buf.subarray(0, a), buf.subarray(b)]);
    }
  }
}

export interface FuzzOptions {
  /** Cases per fixture. */
  cases: number;
  seed?: number;
  /** A case that takes longer is a hang. */
  caseTimeoutMs?: number;
}

/** Runs `cases` mutations of each fixture through the importer; returns how many ended in an error. */
export async function fuzzImporter(
  importer: Importer,
  fixtures: readonly { name: string; bytes: Uint8Array }[],
  options: FuzzOptions,
): Promise<{ imported: number; rejected: number }> {
  const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
  const random = seededRandom(options.seed ?? 1);
  let imported = 0;
  let rejected = 0;
  for (const fixture of fixtures) {
    for (let i = 0; i < options.cases; i++) {
      const bytes = mutate(fixture.bytes, random);
      const label = `${fixture.name} case ${i}`;
      const run = async () => {
        const source = await sourceFromBytes(fixture.name, bytes);
        const ctx = {
          warn: () => undefined,
          options: {},
          timeZone: 'Europe/Paris',
          now: Date.parse('2026-11-24T12:00:00Z'),
        };
        for await (const record of importer.parse(source, ctx)) {
          const issues = (await catalog.validator(record.doctype))(record.data);
          if (issues.length > 0) {
            throw new Error(
              `${label}: invalid ${record.doctype} ${JSON.stringify(record.data)}: ${JSON.stringify(issues)}`,
            );
          }
        }
      };
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${label}: hang`)), options.caseTimeoutMs ?? 2000);
      });
      try {
        await Promise.race([run(), timeout]);
        imported++;
      } catch (e) {
        if (!isFoyerError(e)) {
          expect.fail(`${label}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        rejected++;
      } finally {
        clearTimeout(timer);
      }
    }
  }
  return { imported, rejected };
}
