import { describe, expect, it } from 'vitest';
import { importerFixtures } from '../testing/importer-fixtures.js';
import { DETECTION_THRESHOLD } from './import-service.js';
import type { ImportSource } from './importer.js';
import { allImporters } from './registry.js';
import { sourceFromBytes, sourceFromFile } from './source/import-source.js';

/** Every importer's score on the source, best first. */
function scores(source: ImportSource): { id: string; score: number }[] {
  return allImporters()
    .map((importer) => ({ id: importer.id, score: importer.detect(source.sample) }))
    .sort((a, b) => b.score - a.score);
}

const show = (ranked: { id: string; score: number }[]) =>
  ranked
    .filter((r) => r.score > 0)
    .map((r) => `${r.id}=${r.score.toFixed(2)}`)
    .join(' ');

describe('the registry', () => {
  it('has one importer per id, each with a title and doctypes', () => {
    const importers = allImporters();
    expect(new Set(importers.map((i) => i.id)).size).toBe(importers.length);
    for (const importer of importers) {
      expect(importer.title, importer.id).not.toBe('');
      expect(importer.doctypes.length, importer.id).toBeGreaterThan(0);
    }
  });

  it('every fixture is recognised as its own format by the whole registry', async () => {
    const fixtures = await importerFixtures();
    const ids = new Set(allImporters().map((i) => i.id));
    // Every family has fixtures: a walk that found none would prove nothing.
    expect(new Set(fixtures.map((f) => f.path.split('/')[0]))).toEqual(
      new Set(['bank', 'calendar', 'contacts', 'energy', 'health', 'location', 'media', 'social']),
    );
    const wrong: string[] = [];
    for (const fixture of fixtures) {
      if (fixture.importer === undefined) {
        wrong.push(`${fixture.path}: no rule of src/testing/importer-fixtures.ts names its importer`);
        continue;
      }
      if (fixture.importer !== null && !ids.has(fixture.importer)) {
        wrong.push(`${fixture.path}: its importer ${fixture.importer} is not in the registry`);
        continue;
      }
      const ranked = scores(await sourceFromFile(fixture.file));
      const [best, second] = ranked;
      if (fixture.importer === null) {
        if (best && best.score >= DETECTION_THRESHOLD)
          wrong.push(`${fixture.path}: should be refused, ${show(ranked)}`);
      } else if (
        best?.id !== fixture.importer ||
        best.score < DETECTION_THRESHOLD ||
        (second !== undefined && second.score >= best.score)
      ) {
        wrong.push(`${fixture.path}: expected ${fixture.importer}, ${show(ranked)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('recognises no importer in files of no known format', async () => {
    const png = Uint8Array.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52,
    ]);
    const others: [string, Uint8Array | string][] = [
      ['empty', ''],
      ['png', png],
      [
        'prose',
        'Chère Madame,\n\nSuite à notre échange du 12 mars 2024, je vous confirme le rendez-vous de jeudi ' +
          'à 14 h 30. Le montant de 120,50 € sera réglé sur place.\n\nBien cordialement,\nPaul Martin\n',
      ],
      [
        'unrelated json',
        JSON.stringify({
          name: 'foyer',
          version: '1.0.0',
          dependencies: { hono: '^4' },
          items: [{ id: 1, date: '2024-03-01' }],
        }),
      ],
      [
        'html',
        '<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>Mon compte</title></head>\n' +
          '<body><h1>Relevé</h1><table><tr><td>01/03/2024</td><td>-12,50</td></tr></table></body></html>\n',
      ],
      [
        'unrelated csv',
        'Nom;Prénom;Ville;Couleur préférée\nMartin;Paul;Lyon;bleu\nDurand;Léa;Nantes;vert\nPetit;Jean;Lille;rouge\n',
      ],
    ];
    const claimed: string[] = [];
    for (const [name, bytes] of others) {
      const ranked = scores(await sourceFromBytes(name, bytes));
      if ((ranked[0]?.score ?? 0) >= DETECTION_THRESHOLD) claimed.push(`${name}: ${show(ranked)}`);
    }
    expect(claimed).toEqual([]);
  });
});
