/**
 * The domain formats, downloaded over HTTP, read back by Foyer's own importers (detected among all
 * of them, imported into another space through the real import route) and found equal to what was
 * exported; the consumption CSV, which no importer takes, read back with the importers' CSV reader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRows } from '../importers/csv/csv-reader.js';
import { sourceFromBytes } from '../importers/source/import-source.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { csvCell, foldLine } from './domain-formats.js';
import { SEED, seedSpace } from './portability-testing.js';

type Doc = Record<string, unknown>;

describe('domain formats', () => {
  let source: TestFoyer;
  let target: TestFoyer;

  beforeAll(async () => {
    source = await startTestFoyer();
    await seedSpace(source);
  }, 60_000);

  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  async function freshTarget(): Promise<TestFoyer> {
    await target?.close();
    target = await startTestFoyer();
    await target.ownerToken();
    return target;
  }

  async function download(file: string): Promise<{ type: string; text: string }> {
    const res = await source.request(`/api/export/formats/${file}`);
    expect(res.status).toBe(200);
    return { type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  /** Imports the text into a fresh space through the import route; answers the format detected. */
  async function importBack(file: string, text: string): Promise<string> {
    const t = await freshTarget();
    const res = await t.request(`/api/imports?name=${file}`, { method: 'POST', body: text });
    const body = (await res.json()) as { files: { status: string; report?: { format: { id: string } } }[] };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.files[0]!.status, JSON.stringify(body)).toBe('imported');
    return body.files[0]!.report!.format.id;
  }

  async function all(doctype: string): Promise<Doc[]> {
    const res = await target.request(`/api/data/${doctype}/_find`, { method: 'POST', json: { selector: {} } });
    return ((await res.json()) as { docs: Doc[] }).docs;
  }

  const byLabel = (a: Doc, b: Doc) => String(a.label).localeCompare(String(b.label));

  it('lists the formats', async () => {
    const res = await source.request('/api/export/formats');
    const body = (await res.json()) as { formats: { file: string }[] };
    expect(body.formats.map((f) => f.file)).toEqual([
      'bank-transactions.csv',
      'bank-transactions.ofx',
      'calendar.ics',
      'contacts.vcf',
      'places.geojson',
      'consumption.csv',
    ]);
  });

  it('bank transactions as CSV read back with their dates, labels and amounts', async () => {
    const { type, text } = await download('bank-transactions.csv');
    expect(type).toContain('text/csv');
    expect(await importBack('bank-transactions.csv', text)).toBe('bank-csv');
    const back = (await all('bank.transaction')).sort(byLabel);
    const sent = [...SEED.transactions].sort(byLabel);
    expect(back.map((t) => [t.date, t.label, t.amount])).toEqual(sent.map((t) => [t.date, t.label, t.amount]));
  });

  it('bank transactions as OFX read back with their instants, labels and amounts', async () => {
    const { text } = await download('bank-transactions.ofx');
    expect(text).toContain('<ACCTID>acc-1</ACCTID>');
    expect(await importBack('bank-transactions.ofx', text)).toBe('ofx');
    const back = (await all('bank.transaction')).sort(byLabel);
    const sent = [...SEED.transactions].sort(byLabel);
    expect(back.map((t) => [Date.parse(String(t.date)), t.label, t.amount])).toEqual(
      sent.map((t) => [Date.parse(t.date), t.label, t.amount]),
    );
  });

  it('the calendar as iCalendar reads back, all-day events included', async () => {
    const { text } = await download('calendar.ics');
    expect(await importBack('calendar.ics', text)).toBe('icalendar');
    const back = (await all('calendar.event')).sort((a, b) => String(a.start).localeCompare(String(b.start)));
    expect(back.map((e) => [e.uid, e.title, e.start, e.end ?? null, e.allDay ?? false, e.location ?? null])).toEqual([
      [
        'ev-1@example.fr',
        'Dentiste; rappel',
        '2026-03-14T16:30:00Z',
        '2026-03-14T17:00:00Z',
        false,
        'Lyon, 3 rue des Lilas',
      ],
      ['ev-2@example.fr', 'Vacances', '2026-04-10', '2026-04-13', true, null],
    ]);
  });

  it('contacts as vCard read back with names, addresses, phones and emails', async () => {
    const { text } = await download('contacts.vcf');
    expect(await importBack('contacts.vcf', text)).toBe('vcard');
    const [back] = await all('contact');
    const sent = SEED.contacts[0]!;
    expect(back).toMatchObject({
      uid: sent.uid,
      displayName: sent.displayName,
      name: sent.name,
      birthday: sent.birthday,
      emails: [expect.objectContaining({ address: sent.emails[0]!.address })],
      phones: [expect.objectContaining({ number: sent.phones[0]!.number })],
      addresses: [expect.objectContaining({ street: '8 rue des Écoles', city: 'Lyon', postalCode: '69007' })],
    });
  });

  it('places as GeoJSON read back as located points in time', async () => {
    const { type, text } = await download('places.geojson');
    expect(type).toBe('application/geo+json');
    const parsed = JSON.parse(text) as { features: { geometry: { coordinates: number[] } }[] };
    expect(parsed.features[0]!.geometry.coordinates).toEqual([SEED.visits[0]!.lon, SEED.visits[0]!.lat]);
    expect(await importBack('places.geojson', text)).toBe('geojson');
    const res = await target.request('/api/series/location.point?from=2026-03-01&to=2026-04-01');
    const points = ((await res.json()) as { points: Doc[] }).points;
    expect(points.map((p) => [Date.parse(String(p.t)), p.lat, p.lon])).toEqual([
      [Date.parse(SEED.visits[0]!.start), SEED.visits[0]!.lat, SEED.visits[0]!.lon],
    ]);
  });

  it('consumption as CSV holds every point with its meter and unit', async () => {
    const { text } = await download('consumption.csv');
    const rows: string[][] = [];
    for await (const row of csvRows(await sourceFromBytes('consumption.csv', text), ',')) rows.push(row.fields);
    expect(rows).toEqual([
      ['doctype', 'meter', 'time', 'value', 'unit'],
      ['energy.electricity.daily', '09123456789012', '2026-01-15', '24.61', 'kWh'],
      ['energy.electricity.daily', '09123456789012', '2026-01-16', '27.05', 'kWh'],
      ['water.daily', 'I19LA123456', '2026-03-10', '312', 'L'],
    ]);
  });

  it('answers an unknown format with 404 and the list', async () => {
    const res = await source.request('/api/export/formats/everything.xls');
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { details: { formats: string[] } } };
    expect(body.error.details.formats).toContain('calendar.ics');
  });

  it('keeps a grantee out of the export', async () => {
    const { activeGrant, testTerms } = await import('../testing/grants.js');
    const grant = await activeGrant(source, testTerms());
    const formats = await source.request('/api/export/formats/bank-transactions.csv', { token: grant.accessToken });
    expect(formats.status).toBe(403);
    const archive = await source.request('/api/export', { method: 'POST', json: {}, token: grant.accessToken });
    expect(archive.status).toBe(403);
  });

  it('escapes CSV cells and folds long lines without cutting a character', () => {
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell('plain')).toBe('plain');
    const folded = foldLine(`SUMMARY:${'é'.repeat(60)}`);
    for (const line of folded.split('\r\n').filter(Boolean)) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '').trimEnd()).toBe(`SUMMARY:${'é'.repeat(60)}`);
  });
});
