import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes, formatCurrency, formatDate, formatMonth, formatNumber } from './format.js';
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
  it('writes sizes in the locale’s units', () => {
    expect(formatBytes('fr', 1536)).toBe('1,5 Ko');
    expect(formatBytes('en', 10)).toBe('10 B');
  });
});
