import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isFoyerError } from '../errors.js';
import { defaultCatalogDir, loadCatalog } from './load-catalog.js';

const expectedDoctypes = [
  'activity.workout',
  'bank.account',
  'bank.transaction',
  'bill',
  'calendar.event',
  'contact',
  'energy.contract',
  'energy.electricity.daily',
  'energy.electricity.load-curve',
  'energy.electricity.max-power',
  'energy.gas.daily',
  'health.claim',
  'health.encounter',
  'health.observation',
  'health.sample',
  'insurance.claim',
  'insurance.contract',
  'location.point',
  'location.visit',
  'media.listen',
  'media.view',
  'raw.record',
  'retail.receipt',
  'social.connection',
  'social.post',
  'telecom.call',
  'telecom.data-usage',
  'telecom.line',
  'telecom.vod-view',
  'water.daily',
];

describe('loadCatalog on the repository catalog', () => {
  it('resolves the default folder to the repository catalog', () => {
    expect(defaultCatalogDir()).toMatch(/[/\\]catalog[/\\]doctypes$/);
    expect(defaultCatalogDir()).not.toMatch(/[/\\]dist[/\\]/);
  });

  it('loads every doctype with its metadata', async () => {
    const catalog = await loadCatalog(defaultCatalogDir());
    expect(catalog.list().map((d) => d.name)).toEqual(expectedDoctypes);
    const curve = catalog.get('energy.electricity.load-curve');
    expect(curve?.kind).toBe('series');
    expect(curve?.series).toEqual({
      time: { field: 't', format: 'date-time' },
      value: 'powerW',
      stream: 'usagePointId',
      unit: 'W',
      interval: 'PT30M',
    });
    const transaction = catalog.get('bank.transaction');
    expect(transaction?.series).toBeNull();
    expect(transaction?.indexes).toEqual([
      ['date', 'amount'],
      ['accountId', 'date'],
    ]);
    expect(transaction?.description).toContain('# Bank transaction');
    expect(catalog.get('bill')?.fileFields).toEqual(['fileId']);
    expect(transaction?.retentionField).toBe('date');
    expect(catalog.get('bank.account')?.retentionField).toBeNull();
    expect(curve?.retentionField).toBeNull();
    expect(catalog.get('no.such')).toBeUndefined();
  });
});

describe('loadCatalog rejects malformed folders', () => {
  let dir: string;
  const source = join(defaultCatalogDir(), 'bank.account');
  const folder = () => join(dir, 'bank.account');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'foyer-catalog-'));
    await cp(source, folder(), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const editJson = async (file: string, edit: (value: Record<string, unknown>) => void) => {
    const value = JSON.parse(await readFile(join(folder(), file), 'utf8')) as Record<string, unknown>;
    edit(value);
    await writeFile(join(folder(), file), JSON.stringify(value));
  };

  const loadError = async (): Promise<string> => {
    try {
      await loadCatalog(dir);
    } catch (e) {
      expect(isFoyerError(e)).toBe(true);
      return (e as Error).message;
    }
    throw new Error('loadCatalog accepted a malformed folder');
  };

  it('loads a well-formed copy (the fixtures start valid)', async () => {
    const catalog = await loadCatalog(dir);
    expect(catalog.list().map((d) => d.name)).toEqual(['bank.account']);
  });

  it('names the folder and the file when JSON is invalid', async () => {
    await writeFile(join(folder(), 'doctype.json'), '{ "name": "bank.account", ');
    const message = await loadError();
    expect(message).toContain('"bank.account"');
    expect(message).toContain('doctype.json is not valid JSON');
  });

  it('rejects a doctype.json whose name does not match the folder', async () => {
    await editJson('doctype.json', (m) => (m.name = 'bank.other'));
    expect(await loadError()).toContain('doctype.json names "bank.other" but the folder is "bank.account"');
  });

  it('rejects doctype.json fields of the wrong shape', async () => {
    await editJson('doctype.json', (m) => {
      m.version = 0;
      m.retention = '10 years';
      m.sensitivity = 'secret';
    });
    const message = await loadError();
    expect(message).toContain('version');
    expect(message).toContain('retention: must be an ISO 8601 duration');
    expect(message).toContain('sensitivity');
  });

  it('rejects a series doctype without its series description', async () => {
    await editJson('doctype.json', (m) => (m.kind = 'series'));
    expect(await loadError()).toContain('series: is required when kind is "series"');
  });

  it('rejects a retention field that is not a required date of the schema', async () => {
    await editJson('doctype.json', (m) => (m.retentionField = 'label'));
    expect(await loadError()).toContain('retention field "label" must be a required date, or UTC date-time');
  });

  it('rejects a retention field the schema has but does not require', async () => {
    await editJson('doctype.json', (m) => (m.retentionField = 'closingDate'));
    expect(await loadError()).toContain('retention field "closingDate" must be a required date');
  });

  it('rejects a retention field on a series doctype', async () => {
    const curve = join(dir, 'energy.electricity.load-curve');
    await cp(join(defaultCatalogDir(), 'energy.electricity.load-curve'), curve, { recursive: true });
    const path = join(curve, 'doctype.json');
    const meta = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    meta.retentionField = 't';
    await writeFile(path, JSON.stringify(meta));
    expect(await loadError()).toContain('retentionField: is only allowed when kind is "document"');
  });

  it('accepts a required date as the retention field', async () => {
    await editJson('schema.json', (s) => (s.required as string[]).push('openingDate'));
    await editJson('example.json', (e) => (e.openingDate = '2015-06-01'));
    await editJson('doctype.json', (m) => (m.retentionField = 'openingDate'));
    expect((await loadCatalog(dir)).get('bank.account')?.retentionField).toBe('openingDate');
  });

  it('rejects a schema that does not compile', async () => {
    await editJson('schema.json', (s) => ((s.properties as Record<string, unknown>).balance = { type: 'money' }));
    expect(await loadError()).toContain('schema.json does not compile');
  });

  it('rejects a schema with an unknown keyword (strict mode)', async () => {
    await editJson(
      'schema.json',
      (s) => ((s.properties as Record<string, unknown>).balance = { type: 'number', unit: 'EUR' }),
    );
    expect(await loadError()).toMatch(/schema\.json does not compile: .*unit/);
  });

  it('rejects a schema whose $id does not match the name and version', async () => {
    await editJson('schema.json', (s) => (s.$id = 'urn:foyer:doctype:bank.account:2'));
    expect(await loadError()).toContain('$id must be "urn:foyer:doctype:bank.account:1"');
  });

  it('rejects an index on a field the schema does not have', async () => {
    await editJson('doctype.json', (m) => (m.indexes = [['nope']]));
    expect(await loadError()).toContain('index field "nope" is not a property of schema.json');
  });

  it('rejects an example that does not validate, naming the field and rule', async () => {
    await editJson('example.json', (e) => (e.balance = 'a lot'));
    const message = await loadError();
    expect(message).toContain('example.json does not validate');
    expect(message).toContain('balance: must be a number');
  });

  it('rejects a folder without description.md', async () => {
    await rm(join(folder(), 'description.md'));
    expect(await loadError()).toContain('description.md is missing or unreadable');
  });

  it('rejects a series whose value field is not a required number', async () => {
    const curve = join(dir, 'energy.electricity.load-curve');
    await cp(join(defaultCatalogDir(), 'energy.electricity.load-curve'), curve, { recursive: true });
    const path = join(curve, 'doctype.json');
    const meta = JSON.parse(await readFile(path, 'utf8')) as { series: { value: string } };
    meta.series.value = 'usagePointId';
    await writeFile(path, JSON.stringify(meta));
    expect(await loadError()).toContain('series value field "usagePointId" must be a required numeric property');
  });

  it('rejects an empty catalog folder and a missing one', async () => {
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await expect(loadCatalog(empty)).rejects.toThrow('holds no doctype folder');
    await expect(loadCatalog(join(dir, 'missing'))).rejects.toThrow('Cannot read the catalog folder');
  });
});
