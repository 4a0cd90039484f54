import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { fhirImporter as importer } from './fhir-importer.js';
import { fixture, importFailure, otherFormats } from './health-testing.js';

const searchset = fixture('fhir-searchset-bundle.json');
const transaction = fixture('fhir-transaction-bundle.json');
const ndjson = fixture('fhir-bulk-export.ndjson');
const single = fixture('fhir-single-observation.json');

const bundleOf = (...resources: unknown[]) =>
  JSON.stringify(
    { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) },
    null,
    1,
  );

const observation = (extra: Record<string, unknown>) => ({
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { text: 'Poids' },
  effectiveDateTime: '2024-03-10T09:10:00+01:00',
  ...extra,
});

describe('FHIR detection', () => {
  it('recognises bundles (whatever the key order), bulk NDJSON and single resources', async () => {
    expect(await detectionOf(importer, searchset)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, transaction)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, ndjson)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, single)).toBeGreaterThanOrEqual(0.8);
  });

  it('does not claim other formats, Apple Health or TCX included, and is unsure of a resource it does not keep', async () => {
    for (const other of [...otherFormats, fixture('apple-health-export.xml'), fixture('tcx-garmin-run.tcx')]) {
      expect(await detectionOf(importer, other), String(other).slice(0, 60)).toBeLessThan(0.5);
    }
    expect(await detectionOf(importer, '{"resourceType": "Condition", "id": "c1"}')).toBeLessThan(0.5);
  });
});

describe('FHIR parsing', () => {
  it('streams a searchset bundle whose resourceType comes last: observations, their values and components', async () => {
    const result = await runImporter(importer, searchset, { name: 'everything.json' });
    await expectCatalogValid(result.records);
    const observations = result.records.filter((r) => r.doctype === 'health.observation');
    expect(observations.map((r) => [r.kind === 'document' ? r.key : '', r.line])).toEqual([
      ['Observation/bp-2024-0310', 59],
      ['Observation/wt-2024-0310', 73],
      ['Observation/hba1c-2023-11', 91],
      ['Observation/crp-2023-11', 102],
      ['Observation/smoking-2022', 114],
      ['Observation/note-2024', 125],
    ]);
    const [bp, weight, hba1c, crp, smoking, note] = observations.map((r) => r.data);
    expect(bp).toEqual({
      name: 'Tension artérielle',
      code: { system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' },
      category: 'vital-signs',
      status: 'final',
      effective: '2024-03-10T08:12:00Z',
      components: [
        {
          name: 'Systolic blood pressure',
          code: { system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' },
          value: 142,
          unit: 'mmHg',
          unitCode: 'mm[Hg]',
        },
        {
          name: 'Diastolic blood pressure',
          code: { system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' },
          value: 91,
          unit: 'mmHg',
          unitCode: 'mm[Hg]',
        },
      ],
      // An absolute, versioned reference, kept as the encounter's own ref.
      encounterRef: 'Encounter/enc-7781',
      ref: 'Observation/bp-2024-0310',
      source: 'Dr Claire Lefèvre',
    });
    // LOINC is preferred over the SNOMED coding listed first.
    expect(weight).toMatchObject({ name: 'Poids', code: { code: '29463-7' }, value: 61.4, unit: 'kg', unitCode: 'kg' });
    expect(hba1c).toEqual({
      name: 'Hémoglobine glyquée (HbA1c)',
      code: { system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood' },
      category: 'laboratory',
      status: 'amended',
      // A day only: midnight in Paris, and the precision says so.
      effective: '2023-11-04T23:00:00Z',
      effectivePrecision: 'day',
      value: 5.9,
      unit: '%',
      unitCode: '%',
      interpretation: 'N',
      referenceRange: { low: 4, high: 6, text: '4,0 - 6,0 %' },
      ref: 'Observation/hba1c-2023-11',
      source: 'Laboratoire Bio Centre',
      note: 'Prélèvement à jeun.',
    });
    expect(crp).toMatchObject({
      effective: '2023-11-05T07:30:00Z',
      effectiveEnd: '2023-11-05T08:00:00Z',
      value: 0.5,
      comparator: '<',
    });
    expect(smoking).toMatchObject({
      effective: '2022-05-31T22:00:00Z',
      effectivePrecision: 'month',
      valueCode: { system: 'http://snomed.info/sct', code: '266919005', display: 'Never smoker' },
      valueText: 'Jamais fumé',
      category: 'social-history',
    });
    // No offset (FHIR requires one; producers forget it), in the spring-forward gap: read as 03:30 CEST.
    expect(note).toMatchObject({
      effective: '2024-03-31T01:30:00Z',
      valueText: 'Aucune allergie connue',
      status: 'preliminary',
    });
  });

  it('reads the encounter, keeps no Patient and says what it skipped, with lines', async () => {
    const result = await runImporter(importer, searchset);
    expect(result.of('health.encounter')).toEqual([
      {
        name: 'Consultation de suivi',
        type: { system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up (procedure)' },
        class: 'ambulatory',
        status: 'finished',
        start: '2024-03-10T08:00:00Z',
        end: '2024-03-10T08:25:00Z',
        reasons: ['Hypertension artérielle'],
        practitioners: ['Dr Claire Lefèvre'],
        organisation: 'Cabinet médical des Lilas',
        ref: 'Encounter/enc-7781',
      },
    ]);
    expect(result.records.some((r) => JSON.stringify(r.data).includes('Moreau'))).toBe(false);
    expect(result.warnings).toEqual([
      { line: 145, message: 'the effective date "10/03/2024 09:12" is not a FHIR date: it is left out.' },
      { line: 145, message: 'the observation Observation/broken-date has no date: it is skipped.' },
      {
        line: 20,
        message:
          'the Patient resource (name, birth date, address, identifiers) is not imported: Foyer keeps no copy of your identity from files.',
      },
      { message: '1 Condition resources not imported (no catalog doctype yet).' },
    ]);
  });

  it('reads a transaction bundle: urn:uuid references, Claim and ExplanationOfBenefit with amounts', async () => {
    const result = await runImporter(importer, transaction);
    await expectCatalogValid(result.records);
    const encounter = result.of('health.encounter')[0];
    expect(encounter).toMatchObject({
      class: 'emergency',
      start: '2023-07-05T01:14:03Z',
      ref: 'urn:uuid:e8a6b3d2-1f4c-4d6a-9b1e-0a3c5d7e9f11',
    });
    expect(result.of('health.observation')[0]).toMatchObject({ value: 96, encounterRef: encounter?.ref });
    const [claim, eob] = result.records.filter((r) => r.doctype === 'health.claim');
    expect(claim).toMatchObject({ key: 'Claim/a1c7d9e2-3b4f-4a5c-8d6e-7f8091a2b3c4' });
    expect(claim?.data).toEqual({
      kind: 'claim',
      status: 'active',
      use: 'claim',
      type: 'institutional',
      created: '2023-07-05T05:02:44Z',
      periodStart: '2023-07-05T01:14:03Z',
      periodEnd: '2023-07-05T05:02:44Z',
      provider: 'MERCY HOSPITAL',
      items: [
        { name: 'Emergency room admission (procedure)', code: 'http://snomed.info/sct|50849002', netAmount: 1459.75 },
        { name: 'Concussion with no loss of consciousness', code: 'http://snomed.info/sct|62106007' },
      ],
      totalAmount: 1459.75,
      currency: 'USD',
      encounterRef: 'urn:uuid:e8a6b3d2-1f4c-4d6a-9b1e-0a3c5d7e9f11',
      ref: 'urn:uuid:a1c7d9e2-3b4f-4a5c-8d6e-7f8091a2b3c4',
    });
    expect(eob?.data).toMatchObject({
      kind: 'explanation_of_benefit',
      outcome: 'complete',
      insurer: 'Medicaid',
      totalAmount: 1459.75,
      paidAmount: 1167.8,
      currency: 'USD',
      claimRef: claim?.data.ref,
    });
    expect(result.warnings.map((w) => w.message)).toEqual([
      'the Patient resource (name, birth date, address, identifiers) is not imported: Foyer keeps no copy of your identity from files.',
      '1 MedicationRequest resources not imported (no catalog doctype yet).',
      '1 bundle entries without a resource not imported (a request or a response only).',
    ]);
  });

  it('reads a bulk-data NDJSON file with CRLF line ends, one record per line', async () => {
    const result = await runImporter(importer, ndjson);
    await expectCatalogValid(result.records);
    expect(result.records.map((r) => [r.doctype, r.line, r.kind === 'document' ? r.key : ''])).toEqual([
      ['health.observation', 1, 'Observation/obs-1'],
      ['health.observation', 2, 'Observation/obs-2'],
      ['health.encounter', 3, 'Encounter/enc-1'],
    ]);
    expect(result.of('health.observation')[0]).toMatchObject({
      name: 'Cholestérol total',
      value: 1.92,
      referenceRange: { high: 2 },
    });
    expect(result.of('health.encounter')[0]).toMatchObject({ name: 'Virtual encounter', class: 'virtual' });
  });

  it('reads a single resource, as in Apple Health’s clinical-records folder', async () => {
    const result = await runImporter(importer, single);
    await expectCatalogValid(result.records);
    expect(result.records).toEqual([
      expect.objectContaining({
        key: 'Observation/1A2B3C',
        data: expect.objectContaining({ name: 'Glycémie à jeun', value: 0.94 }),
      }),
    ]);
  });

  it('reads an NDJSON file whose first line is longer than the detection sample', async () => {
    const big = JSON.stringify(observation({ id: 'big', note: [{ text: 'x'.repeat(70_000) }] }));
    const result = await runImporter(importer, `${big}\n${JSON.stringify(observation({ id: 'small' }))}\n`);
    await expectCatalogValid(result.records);
    expect(result.records.map((r) => [r.kind === 'document' ? r.key : '', r.line])).toEqual([
      ['Observation/big', 1],
      ['Observation/small', 2],
    ]);
  });

  it('keys a resource without an id by its fullUrl, else by a digest that a second import finds again', async () => {
    const noId = { ...observation({}), id: undefined };
    const bundle = JSON.stringify({
      resourceType: 'Bundle',
      entry: [{ fullUrl: 'https://h.example/fhir/Observation/77', resource: noId }, { resource: noId }],
    });
    const first = await runImporter(importer, bundle);
    const second = await runImporter(importer, bundle);
    const keys = first.records.map((r) => (r.kind === 'document' ? r.key : ''));
    expect(keys[0]).toBe('Observation/77');
    expect(keys[1]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.records.map((r) => (r.kind === 'document' ? r.key : ''))).toEqual(keys);
  });

  it('leaves out amounts without a currency rather than guess one, and warns', async () => {
    const claim = { resourceType: 'Claim', id: 'c1', created: '2024-01-02', total: { value: 30 } };
    const result = await runImporter(importer, bundleOf(claim));
    await expectCatalogValid(result.records);
    expect(result.of('health.claim')).toEqual([{ kind: 'claim', created: '2024-01-01T23:00:00Z', ref: 'Claim/c1' }]);
    expect(result.warnings).toEqual([
      { line: expect.any(Number), message: 'the Claim Claim/c1 gives amounts without a currency: they are left out.' },
    ]);
  });

  it('warns when a file mixes several patients', async () => {
    const result = await runImporter(
      importer,
      bundleOf({ resourceType: 'Patient', id: 'a' }, { resourceType: 'Patient', id: 'b' }),
    );
    expect(result.warnings.map((w) => w.message)).toContain(
      'the file holds the records of 2 patients: they are all imported into this space.',
    );
  });
});

describe('FHIR bad input', () => {
  it('refuses a bundle that is not valid JSON, naming the line', async () => {
    const broken = searchset.toString('utf8').replace('"status": "amended",', '"status": amended,');
    const error = await importFailure(importer, broken, 'everything.json');
    expect(error.message).toMatch(/^everything\.json, line 79: this is not valid JSON/);
  });

  it('refuses a truncated bundle and a truncated NDJSON line', async () => {
    const error = await importFailure(importer, searchset.subarray(0, 4000), 'everything.json');
    expect(error.message).toContain('the file ends before its JSON does (truncated?)');
    const cut = ndjson.toString('utf8').slice(0, 700);
    const line = await importFailure(importer, cut, 'obs.ndjson');
    expect(line.message).toMatch(/^obs\.ndjson, line 2: this line is not valid JSON/);
  });

  it('refuses JSON after the end of the bundle', async () => {
    const error = await importFailure(importer, `${bundleOf()}\n{"resourceType": "Bundle"}`);
    expect(error.message).toContain('not valid JSON');
  });

  it('refuses a large file whose root, named only at its end, is not a Bundle', async () => {
    const entries = Array.from({ length: 600 }, (_, i) => ({ resource: observation({ id: `o${i}` }) }));
    const file = `{"entry": ${JSON.stringify(entries)}, "resourceType": "Parameters"}`;
    const error = await importFailure(importer, file, 'p.json');
    expect(error.message).toBe('p.json: this FHIR file is neither a Bundle nor a resource.');
  });

  it('imports nothing from a single resource of a type it does not keep, and says so', async () => {
    const result = await runImporter(importer, '{"resourceType": "Condition", "id": "c1"}');
    expect(result.records).toEqual([]);
    expect(result.warnings).toEqual([{ message: '1 Condition resources not imported (no catalog doctype yet).' }]);
  });

  it('refuses absurd dates and amounts, naming the line', async () => {
    for (const effectiveDateTime of ['1200-01-01T00:00:00Z', '9999-12-31']) {
      const error = await importFailure(importer, bundleOf(observation({ effectiveDateTime })), 'b.json');
      expect(error.message).toMatch(/^b\.json, line \d+: the effective date ".+" is not a plausible date$/);
    }
    const rich = { resourceType: 'Claim', id: 'c1', created: '2024-01-02', total: { value: 1e15, currency: 'EUR' } };
    const error = await importFailure(importer, bundleOf(rich), 'b.json');
    expect(error.message).toMatch(/^b\.json, line \d+: the total 1000000000000000 is not a plausible amount$/);
    const value = await importFailure(importer, bundleOf(observation({ valueQuantity: { value: 1e12, unit: 'kg' } })));
    expect(value.message).toContain('the observed value 1000000000000 is not plausible');
  });

  it('skips, with a warning, an observation that says nothing of what was observed', async () => {
    const result = await runImporter(importer, bundleOf(observation({ code: {} })));
    expect(result.records).toEqual([]);
    expect(result.warnings[0]?.message).toBe(
      'the observation Observation/o1 says nothing of what was observed: it is skipped.',
    );
  });
});
