import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createFormatters,
  decimalsOf,
  formatBytes,
  formatCurrency,
  formatDate,
  formatMonth,
  formatNumber,
} from './format.js';
import { initialLocale, interpolate, translator } from './translate.js';

describe('messages', () => {
  it('every feature and the shell have the same keys in French and English, none empty', async () => {
    const src = path.resolve(import.meta.dirname, '..');
    const files = [
      path.join(src, 'app', 'messages.ts'),
      path.join(src, 'components', 'messages.ts'),
      ...readdirSync(path.join(src, 'features'))
        .map((f) => path.join(src, 'features', f, 'messages.ts'))
        .filter((f) => existsSync(f)),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const { en, fr } = (await import(file)) as { en: Record<string, unknown>; fr: Record<string, unknown> };
      expect(Object.keys(fr).sort(), file).toEqual(Object.keys(en).sort());
      for (const [k, v] of [...Object.entries(en), ...Object.entries(fr)]) {
        if (typeof v === 'string') expect(v.trim(), `${file}: ${k}`).not.toBe('');
      }
    }
  });

  it('interpolates named values and leaves unknown ones visible', () => {
    expect(interpolate('{n} of {total}', { n: 3, total: 10 })).toBe('3 of 10');
    expect(interpolate('{missing}', {})).toBe('{missing}');
    const t = translator({ en: { hi: 'Hello {name}' }, fr: { hi: 'Bonjour {name}' } }, 'fr');
    expect(t('hi', { name: 'Léa' })).toBe('Bonjour Léa');
  });

  it('starts in the saved language, else the browser’s, else English', () => {
    expect(initialLocale('fr', ['en-US'])).toBe('fr');
    expect(initialLocale(null, ['de-DE', 'fr-CA'])).toBe('fr');
    expect(initialLocale('xx', ['de-DE'])).toBe('en');
  });
});

describe('formatting per locale', () => {
  it('writes numbers and amounts the French and English ways', () => {
    expect(formatNumber('fr', 1234.5)).toBe('1\u202f234,5');
    expect(formatNumber('en', 1234.5)).toBe('1,234.5');
    expect(formatCurrency('fr', -87.4)).toBe('-87,40\u00a0€');
    expect(formatCurrency('en', -87.4)).toBe('-€87.40');
  });
  it('writes days without shifting them by the time zone', () => {
    expect(formatDate('fr', '2024-03-01', 'long')).toBe('1 mars 2024');
    expect(formatDate('en', '2024-03-01', 'long')).toBe('1 March 2024');
    expect(formatMonth('fr', '2024-03')).toBe('mars 2024');
    expect(formatDate('en', 'not a date')).toBe('not a date');
  });
  it('writes a record’s numbers and amounts with every decimal they have, never rounded', () => {
    const en = createFormatters('en');
    const fr = createFormatters('fr');
    expect(en.number(0.1694)).toBe('0.1694');
    expect(en.number(1234.56789)).toBe('1,234.56789');
    expect(en.number(42)).toBe('42');
    expect(en.number(1e-7)).toBe('0.0000001');
    expect(en.currency(0.1694)).toBe('€0.1694');
    expect(en.currency(190.5)).toBe('€190.50');
    expect(en.currency(-87.4)).toBe('-€87.40');
    expect(fr.currency(0.021)).toBe('0,021\u00a0€');
    expect(fr.number(12.675)).toBe('12,675');
    expect(en.currency(1500, 'JPY')).toBe('JP¥1,500');
    expect(en.currency(1.5, 'XYZ1')).toBe('1.5 XYZ1');
    expect([0.5, 2.25, 1e21, 3e-5, 1.5e-10, -0.125].map(decimalsOf)).toEqual([1, 2, 0, 5, 11, 3]);
  });
  it('writes sizes in the locale’s units', () => {
    expect(formatBytes('fr', 1536)).toBe('1,5 Ko');
    expect(formatBytes('en', 10)).toBe('10 B');
  });
});
