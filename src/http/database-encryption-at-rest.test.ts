/**
 * Space data is encrypted at rest, end to end: secrets written through the API as document
 * fields, a series point and a ledger-visible doctype are found in no file of the SQLite data
 * folder (databases, WAL, keys), and in no row of the PostgreSQL schema, and come back through
 * the API; the control runs (SQLite with FOYER_DATABASE_CIPHER=none, PostgreSQL rows an earlier
 * release left in clear) show the same scans find them.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { encodeMasterKey, generateMasterKey } from '../core/keys/master-keyring.js';
import { SQLITE_CIPHERS } from '../storage/sqlite/sqlite-cipher.js';
import { jsonBody as json } from '../testing/json-body.js';
import { filesHolding, rowsHolding } from '../testing/stored-data-search.js';
import {
  dropSchema,
  makeTestPostgresStore,
  randomSchemaName,
  schemaAtVersion,
  testDatabaseIsPglite,
  testDatabaseUrl,
} from '../testing/postgres.js';
import { createPostgresDocumentStore } from '../storage/postgres/postgres-document-store.js';
import { GENESIS_HASH } from '../core/ledger/ledger-entry.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';

const secret = (what: string) => `FOYER-${what}-${randomBytes(6).toString('hex')}`;

interface Secrets {
  label: string;
  note: string;
  /** A load curve's meter (its stream): 14 digits. */
  meter: string;
  /** A series value, as its text. */
  value: string;
}

async function writeSecrets(f: TestFoyer): Promise<Secrets> {
  const digits = (n: number) => Array.from(randomBytes(n), (b) => String(b % 10)).join('');
  const s = { label: secret('LABEL'), note: secret('NOTE'), meter: `9${digits(13)}`, value: `7${digits(5)}.25` };
  await f.ownerToken();
  const tx = {
    date: '2026-03-09T08:00:00Z',
    label: s.label,
    amount: -42.5,
    currency: 'EUR',
    accountId: 'FR7630006000011234567890189',
    type: 'card',
  };
  expect((await f.request('/api/data/bank.transaction/t1', { method: 'PUT', json: tx })).status).toBe(201);
  const contact = { displayName: 'Camille Martin', note: s.note };
  expect((await f.request('/api/data/contact/c1', { method: 'PUT', json: contact })).status).toBe(201);
  const point = { usagePointId: s.meter, t: '2026-03-09T08:00:00Z', powerW: Number(s.value), quality: 'measured' };
  const res = await f.request('/api/series/energy.electricity.load-curve', {
    method: 'POST',
    json: { points: [point] },
  });
  expect(res.status).toBe(200);
  return s;
}

async function readBack(f: TestFoyer, s: Secrets): Promise<void> {
  await f.ownerToken();
  expect((await json(await f.request('/api/data/bank.transaction/t1'))).label).toBe(s.label);
  expect((await json(await f.request('/api/data/contact/c1'))).note).toBe(s.note);
  const points = await json(
    await f.request(
      `/api/series/energy.electricity.load-curve?from=2026-03-09T00:00:00Z&to=2026-03-10T00:00:00Z&stream=${s.meter}`,
    ),
  );
  expect(JSON.stringify(points)).toContain(`"powerW":${s.value}`);
}

const needles = (s: Secrets) => [s.label, s.note, s.meter, s.value];

describe('SQLite space databases encrypted at rest', () => {
  it.each(SQLITE_CIPHERS)(
    'keeps every secret out of the data folder under %s, and serves them back',
    async (cipher) => {
      const f = await startTestFoyer({ env: { FOYER_DATABASE_CIPHER: cipher } });
      try {
        const s = await writeSecrets(f);
        await readBack(f, s);
        // While running (WAL in use) and after a clean stop alike.
        expect(await filesHolding(f.dataDir, needles(s))).toEqual([]);
        const dataDir = f.dataDir;
        await f.foyer.close();
        expect(await filesHolding(dataDir, needles(s))).toEqual([]);
      } finally {
        await f.close();
      }
    },
  );

  it('control: with FOYER_DATABASE_CIPHER=none the same scan finds every secret', async () => {
    const f = await startTestFoyer({ env: { FOYER_DATABASE_CIPHER: 'none' } });
    try {
      const s = await writeSecrets(f);
      await f.foyer.close();
      const found = await filesHolding(f.dataDir, needles(s));
      for (const needle of needles(s)) expect(found.some((line) => line.endsWith(needle))).toBe(true);
    } finally {
      await f.close();
    }
  });

  it('encrypts a space left in clear by an older Foyer at its next start, losing nothing', async () => {
    const clear = await startTestFoyer({ env: { FOYER_DATABASE_CIPHER: 'none' } });
    const dataDir = clear.dataDir;
    const s = await writeSecrets(clear);
    await clear.foyer.close();
    expect((await filesHolding(dataDir, needles(s))).length).toBeGreaterThan(0);

    const f = await startTestFoyer({ config: { dataDir } });
    try {
      await readBack(f, s);
      expect(await filesHolding(dataDir, needles(s))).toEqual([]);
    } finally {
      await f.close();
      await clear.close();
    }
  });

  it('answers 503 unavailable under another master key, naming the space whose key it cannot open', async () => {
    const f = await startTestFoyer({});
    const dataDir = f.dataDir;
    await writeSecrets(f);
    const token = await f.ownerToken();
    await f.foyer.close();
    const other = await startTestFoyer({
      config: { dataDir },
      env: { FOYER_MASTER_KEY: encodeMasterKey(generateMasterKey()) },
    });
    try {
      const res = await other.request('/api/data/contact/c1', { token });
      expect(res.status).toBe(503);
      const { error } = await json(res);
      expect(error.code).toBe('unavailable');
      expect(error.message).toContain('space "default" is wrapped under none of the configured master keys');
    } finally {
      await other.close();
      await f.close();
    }
  });

  it('refuses a database file altered on disk instead of serving altered data', async () => {
    const f = await startTestFoyer({});
    const dataDir = f.dataDir;
    await writeSecrets(f);
    const token = await f.ownerToken();
    await f.foyer.close();
    const file = path.join(dataDir, 'spaces', 'default', 'space.db');
    const bytes = await readFile(file);
    // One byte in every page after the first: whatever page a read touches, its tag fails.
    for (let at = 4096 + 200; at < bytes.length; at += 4096) bytes[at]! ^= 0x01;
    await writeFile(file, bytes);
    const g = await startTestFoyer({ config: { dataDir } });
    try {
      const res = await g.request('/api/data/contact/c1', { token });
      expect(res.status).toBe(500);
      const { error } = await json(res);
      expect(error.code).toBe('internal');
      expect(error.message).toMatch(/does not open with its key|damaged or was altered on disk/);
    } finally {
      await g.close();
      await f.close();
    }
  });
});

/**
 * PostgreSQL: document bodies, their metadata and series values are sealed by the store under the
 * space's data key. The scan reads every row of every table of Foyer's schema as text, bytea
 * columns as bytes; the control is a database an earlier release filled in clear (made here with
 * the migrations of that release and rows as it wrote them), where the same scan finds every
 * secret, until the next start seals them in place.
 */
describe('PostgreSQL rows encrypted at rest', () => {
  it('keeps every secret out of every row of the schema, and serves them back', async () => {
    const db = await makeTestPostgresStore();
    const f = await startTestFoyer({ overrides: { documentStore: db.store } });
    try {
      const s = await writeSecrets(f);
      await readBack(f, s);
      const days = await json(
        await f.request(
          `/api/series/energy.electricity.load-curve?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&every=month&agg=max&stream=${s.meter}`,
        ),
      );
      expect(JSON.stringify(days)).toContain(s.value);
      expect(await rowsHolding(db.url, db.schema, needles(s))).toEqual([]);
    } finally {
      await f.close();
      await dropSchema(db.url, db.schema);
    }
  });

  it('control: finds every secret of rows stored in clear by an earlier release, then seals them at the next start', async () => {
    const url = testDatabaseUrl();
    const schema = randomSchemaName();
    const s = { label: secret('LABEL'), note: secret('NOTE'), meter: '91234567890123', value: '734567.25' };
    await clearDatabase(url, schema, s);
    try {
      const found = await rowsHolding(url, schema, needles(s));
      for (const needle of needles(s)) expect(found.some((line) => line.endsWith(needle))).toBe(true);

      // The next start: the Foyer hands the store its data keys, which seals what is in clear.
      const store = await createPostgresDocumentStore({ connectionString: url, schema, copy: !testDatabaseIsPglite() });
      const f = await startTestFoyer({ overrides: { documentStore: store } });
      try {
        await readBack(f, s);
        expect(await rowsHolding(url, schema, needles(s))).toEqual([]);
      } finally {
        await f.close();
      }
    } finally {
      await dropSchema(url, schema);
    }
  });
});

/** A schema at the last version before encryption, holding the secrets in clear as that release wrote them. */
async function clearDatabase(url: string, schema: string, s: Secrets): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = pg.escapeIdentifier(schema);
    await schemaAtVersion(client, schema, 3);
    await client.query(`INSERT INTO ${q}.spaces VALUES ('default', 'Europe/Paris', '2026-01-01T00:00:00.000Z')`);
    await client.query(`INSERT INTO ${q}.space_sequences VALUES ('default', 2)`);
    await client.query(`INSERT INTO ${q}.ledger_heads VALUES ('default', 0, $1)`, [GENESIS_HASH]);
    const at = '2026-03-09T08:00:00.000Z';
    const meta = JSON.stringify({
      createdAt: at,
      updatedAt: at,
      createdBy: { kind: 'owner', via: 'session' },
      updatedBy: { kind: 'owner', via: 'session' },
      source: { kind: 'manual' },
    });
    const tx = { date: '2026-03-09T08:00:00Z', label: s.label, amount: -42.5, currency: 'EUR', type: 'card' };
    const contact = { displayName: 'Camille Martin', note: s.note };
    await client.query(
      `INSERT INTO ${q}.documents (space, doctype, id, rev, seq, deleted, data, meta) VALUES
         ('default', 'bank.transaction', 't1', '1-aa', 1, false, $1, $3),
         ('default', 'contact', 'c1', '1-bb', 2, false, $2, $3)`,
      [JSON.stringify({ ...tx, accountId: 'FR7630006000011234567890189' }), JSON.stringify(contact), meta],
    );
    const t = Date.parse('2026-03-09T08:00:00Z');
    const point = { usagePointId: s.meter, t: '2026-03-09T08:00:00Z', powerW: Number(s.value), quality: 'measured' };
    await client.query(
      `INSERT INTO ${q}.series_points (space, doctype, t, stream, day, value, data)
       VALUES ('default', 'energy.electricity.load-curve', $1, $2, '2026-03-09', $3, $4)`,
      [t, s.meter, Number(s.value), JSON.stringify(point)],
    );
    await client.query(
      `INSERT INTO ${q}.series_days VALUES ('default', 'energy.electricity.load-curve', '2026-03-09', $1, 1, $2, $2, $2)`,
      [s.meter, Number(s.value)],
    );
    await client.query(
      `INSERT INTO ${q}.series_hours VALUES ('default', 'energy.electricity.load-curve', $1, $2, 1, $3, $3, $3)`,
      [t, s.meter, Number(s.value)],
    );
  } finally {
    await client.end();
  }
}
