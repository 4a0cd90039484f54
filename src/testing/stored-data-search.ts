/**
 * Searching what a store keeps on disk for strings that must not be there (secrets written in
 * clear): every byte of every file under a SQLite data folder (databases, WAL files, blobs), or
 * every row of every table of a PostgreSQL schema, as text (bytea columns as bytes).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

/** `<file>: <needle>` for each needle found in a file under `dir`. */
export async function filesHolding(dir: string, needles: string[]): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    const bytes = await readFile(file);
    for (const needle of needles) {
      if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${path.relative(dir, file)}: ${needle}`);
    }
  }
  return found;
}

/** `<table>: <needle>` for each needle found in a row of a table of `schema`. */
export async function rowsHolding(url: string, schema: string, needles: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`,
      [schema],
    );
    if (tables.rows.length === 0) throw new Error(`No table in schema ${schema}: nothing was searched.`);
    const found: string[] = [];
    for (const { name } of tables.rows) {
      const table = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(name)}`;
      const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM ${table} t`);
      // A bytea column reads as `\x` and hex digits: its bytes are searched as hex.
      const hex = needles.map((needle) => Buffer.from(needle, 'utf8').toString('hex'));
      for (const { row } of rows.rows) {
        needles.forEach((needle, i) => {
          if (row.includes(needle) || row.includes(hex[i]!)) found.push(`${name}: ${needle}`);
        });
      }
    }
    return found;
  } finally {
    await client.end();
  }
}
