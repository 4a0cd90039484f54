import { describe, expect, it } from 'vitest';
import {
  actorName,
  entryWords,
  groupByDay,
  stackByActorAndDay,
  topActors,
  type AggregateRow,
  type LedgerEntry,
} from './ledger-view.js';

const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  seq: 1,
  at: '2026-03-10T08:00:00.000Z',
  day: '2026-03-10',
  actorKind: 'connector',
  actorId: 'bank-psd2',
  grant: 'g1',
  grantVersion: 1,
  verb: 'create',
  doctype: 'bank.transaction',
  count: 12,
  purpose: 'data-collection',
  outcome: 'allowed',
  code: null,
  ...over,
});
const row = (key: string, allowed: number, denied = 0, failed = 0): AggregateRow => ({
  key,
  allowed,
  denied,
  failed,
  items: 0,
});

describe('the ledger in words', () => {
  const names = new Map([
    ['connector:bank-psd2', 'Banque Horizon'],
    ['grant:g7', 'Banque Horizon'],
  ]);
  it('names grantees by their grant, the owner as you, Foyer as itself', () => {
    expect(actorName('connector:bank-psd2', names, 'en')).toBe('Banque Horizon');
    expect(actorName('owner:session', names, 'fr')).toBe('Vous (application web)');
    expect(actorName('owner:token:tests', names, 'en')).toBe('You (token “tests”)');
    expect(actorName('system:retention', names, 'en')).toBe('Foyer (retention)');
    expect(actorName('system:withdrawal of grant g7', names, 'fr')).toBe('Foyer (retrait de Banque Horizon)');
    expect(actorName('system:deletion request of grant g7', names, 'en')).toBe(
      'Foyer (deletion request to Banque Horizon)',
    );
    expect(actorName('system:withdrawal of grant g9', names, 'en')).toBe('Foyer (withdrawal of grant g9)');
    expect(actorName('system:end of a run of connector bank-psd2', names, 'en')).toBe(
      'Foyer (end of a run of Banque Horizon)',
    );
    expect(actorName('anonymous:-', names, 'en')).toBe('Unknown caller');
    expect(actorName('import:imp-1', names, 'fr')).toBe('Import de fichier imp-1');
    expect(actorName('app:unknown', names, 'en')).toBe('app unknown');
  });

  it('says what an entry did, and what was refused or failed with its code', () => {
    expect(entryWords(entry({}), 'Bank transaction', 'en')).toBe('added 12 · Bank transaction');
    expect(entryWords(entry({ verb: 'read', count: 0 }), 'Bill', 'fr')).toBe('a lu · Bill');
    expect(entryWords(entry({ verb: 'read', outcome: 'denied', code: 'scope_denied', count: 0 }), 'Bill', 'en')).toBe(
      'tried to read · Bill: refused (scope_denied)',
    );
    expect(entryWords(entry({ verb: 'update', outcome: 'failed', code: 'conflict' }), 'Bill', 'fr')).toBe(
      'modifier · Bill : échec (conflict)',
    );
  });

  it('groups newest-first entries by day, keeping their order', () => {
    const entries = [
      entry({ seq: 4, day: '2026-03-11' }),
      entry({ seq: 3, day: '2026-03-11' }),
      entry({ seq: 2, day: '2026-03-10' }),
      entry({ seq: 1, day: '2026-03-09' }),
    ];
    expect(groupByDay(entries).map((g) => [g.day, g.entries.map((e) => e.seq)])).toEqual([
      ['2026-03-11', [4, 3]],
      ['2026-03-10', [2]],
      ['2026-03-09', [1]],
    ]);
  });
});

describe('accesses per grantee and per day', () => {
  it('stacks the busiest grantees and folds the rest into others, each day adding up to its total', () => {
    const byActor = [
      row('owner:session', 5),
      row('connector:bank-psd2', 40, 1),
      row('app:x', 2),
      row('connector:water-kit', 9),
    ];
    expect(topActors(byActor, 2)).toEqual(['connector:bank-psd2', 'connector:water-kit']);
    const days = ['2026-03-09', '2026-03-10', '2026-03-11'];
    const stacked = stackByActorAndDay(
      days,
      [
        { actor: 'connector:bank-psd2', rows: [row('2026-03-09', 30), row('2026-03-10', 10, 1)] },
        { actor: 'connector:water-kit', rows: [row('2026-03-10', 9)] },
      ],
      [row('2026-03-09', 33), row('2026-03-10', 21, 1), row('2026-03-11', 4)],
    );
    expect(stacked.actors).toEqual(['connector:bank-psd2', 'connector:water-kit', 'others']);
    expect(stacked.values).toEqual([
      [30, 0, 3],
      [11, 9, 2],
      [0, 0, 4],
    ]);
    expect(stacked.denied).toEqual([false, true, false]);
    stacked.values.forEach((v, i) => expect(v.reduce((a, b) => a + b, 0)).toBe([33, 22, 4][i]));
  });

  it('has no others when the named grantees are all there is', () => {
    const stacked = stackByActorAndDay(
      ['2026-03-09'],
      [{ actor: 'owner:session', rows: [row('2026-03-09', 3)] }],
      [row('2026-03-09', 3)],
    );
    expect(stacked).toEqual({ days: ['2026-03-09'], actors: ['owner:session'], values: [[3]], denied: [false] });
  });
});
