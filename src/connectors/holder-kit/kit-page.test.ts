import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../sdk.js';
import { readPage } from './kit-page.js';

const item = (over: Record<string, unknown> = {}) => ({
  key: 'W1/2026-03-09',
  updatedAt: '2026-03-10T05:00:00.000Z',
  data: { meterId: 'W1', date: '2026-03-09', volumeLitres: 212 },
  ...over,
});

describe('reading a page of Holder Kit items', () => {
  it('keeps each item’s key, data and updatedAt as written, with its instant', () => {
    const page = readPage(
      { items: [item({ updatedAt: '2026-03-10T06:00:00+01:00', files: [] })], next: 'abc' },
      'water.daily',
    );
    expect(page).toEqual({
      next: 'abc',
      items: [
        {
          key: 'W1/2026-03-09',
          updatedAt: '2026-03-10T06:00:00+01:00',
          updatedMs: Date.UTC(2026, 2, 10, 5),
          data: item().data,
        },
      ],
    });
    expect(readPage({ items: [], next: null }, 'bill')).toEqual({ items: [], next: null });
  });

  it('keeps the files an item lists, each an id with an optional name and type', () => {
    const files = [{ id: 'bill-1', name: 'facture.pdf', contentType: 'application/pdf' }, { id: 'bill-1-annexe' }];
    expect(readPage({ items: [item({ files })], next: null }, 'bill').items[0]!.files).toEqual(files);
  });

  const broken: [string, unknown, string][] = [
    ['not an object', 'items', 'has no items list'],
    ['no items', { next: null }, 'has no items list'],
    ['no next', { items: [] }, 'has no next'],
    ['an empty next', { items: [], next: '' }, 'has no next'],
    ['an item that is not an object', { items: [3], next: null }, 'item 1 that is not an object'],
    ['an item without key', { items: [item({ key: '' })], next: null }, 'item 1 without a key'],
    ['a key too long for Foyer', { items: [item({ key: 'k'.repeat(513) })], next: null }, 'without a key'],
    ['an updatedAt without zone', { items: [item({ updatedAt: '2026-03-10T05:00:00' })], next: null }, 'RFC 3339'],
    ['a French date as updatedAt', { items: [item({ updatedAt: '10/03/2026 05h00' })], next: null }, 'RFC 3339'],
    ['an impossible date', { items: [item({ updatedAt: '2026-13-45T05:00:00Z' })], next: null }, 'RFC 3339'],
    ['data that is a list', { items: [item({ data: [1] })], next: null }, 'without data'],
    ['files that are not a list', { items: [item({ files: 'bill-1' })], next: null }, 'malformed files list'],
    ['a file without id', { items: [item({ files: [{ name: 'a.pdf' }] })], next: null }, 'malformed files list'],
    ['a file with a numeric name', { items: [item({ files: [{ id: 'f', name: 3 }] })], next: null }, 'files list'],
    ['a file id too long', { items: [item({ files: [{ id: 'f'.repeat(201) }] })], next: null }, 'files list'],
  ];
  it.each(broken)('refuses a page with %s as holder_format_changed', (_what, body, message) => {
    let error: unknown;
    try {
      readPage(body, 'water.daily');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'holder_format_changed' });
    expect((error as Error).message).toMatch(
      new RegExp(`^A page of water.daily .*${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
  });
});
