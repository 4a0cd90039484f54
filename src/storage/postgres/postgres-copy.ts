/**
 * `COPY ... FROM STDIN` through pg, for bulk appends: the fastest way into PostgreSQL (a third of
 * the time of an INSERT from a JSON or array parameter for 175,200 points, measured here). And
 * `COPY (query) TO STDOUT` for bulk reads: pg turns every field of a query's answer into a string
 * of its own (about 0.25 µs each); COPY's text is decoded once per page and split here. A million
 * ledger entries of 16 columns: 2.9 s instead of 4.7 s, measured here.
 *
 * pg runs any "submittable" (an object with `submit(connection)` and the handlers it calls for the
 * server's messages) in its query queue; these answer the server's CopyInResponse with the rows,
 * or collect its CopyData, in text format.
 */
import type { PoolClient } from 'pg';

/** The connection methods this uses (pg's Connection, not in its public types). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

const CHUNK_BYTES = 1 << 20;
const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;

/** A field in COPY text format: backslash, tab, newline and carriage return escaped; null as `\N`. */
export function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Most fields need no escape: test before replacing.
  if (!SPECIAL.test(value)) return value;
  return value.replace(SPECIALS, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

class CopyFromStdin {
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (e: unknown) => void;
  private failed = false;
  private rows = 0;

  constructor(
    private readonly sql: string,
    private readonly lines: string[],
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: CopyConnection): void {
    connection.query(this.sql);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    let chunk = '';
    for (const line of this.lines) {
      chunk += line;
      if (chunk.length >= CHUNK_BYTES) {
        connection.sendCopyFromChunk(Buffer.from(chunk));
        chunk = '';
      }
    }
    if (chunk) connection.sendCopyFromChunk(Buffer.from(chunk));
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { rowCount?: number | null }): void {
    this.rows = message.rowCount ?? 0;
  }

  handleError(error: unknown): void {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.rows);
  }

  // Messages a COPY FROM never gets; pg may call them on any submittable.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs `COPY <target> FROM STDIN` with these rows (each a line of tab-separated `copyField`s). */
export async function copyFromStdin(client: PoolClient, target: string, lines: string[]): Promise<number> {
  const copy = new CopyFromStdin(`COPY ${target} FROM STDIN`, lines);
  (client as unknown as { query(submittable: CopyFromStdin): void }).query(copy);
  return copy.done;
}

/** Collects the CopyData of a `COPY ... TO STDOUT`; pg reuses its read buffer, so bytes are copied at once. */
class CopyToStdout {
  readonly done: Promise<string>;
  private resolve!: (text: string) => void;
  private reject!: (e: unknown) => void;
  private failed = false;
  private buffer = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  constructor(private readonly sql: string) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: CopyConnection): void {
    connection.query(this.sql);
  }

  handleCopyData(message: { chunk: Buffer }): void {
    const { chunk } = message;
    if (this.length + chunk.length > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + chunk.length));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    chunk.copy(this.buffer, this.length);
    this.length += chunk.length;
  }

  handleError(error: unknown): void {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.buffer.toString('utf8', 0, this.length));
  }

  // Messages a COPY TO never gets; pg may call them on any submittable.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {}
}

const ESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A field of COPY's text format: `\N` is null; backslash sequences are undone. */
function copyValue(field: string): string | null {
  if (!field.includes('\\')) return field;
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPED[c] ?? c);
}

/**
 * Runs `COPY (<query>) TO STDOUT` and answers its rows as text fields (null for NULL). The query
 * cannot take bind parameters: callers embed only escaped literals and checked integers.
 */
export async function copyToStdout(client: PoolClient, query: string): Promise<(string | null)[][]> {
  const copy = new CopyToStdout(`COPY (${query}) TO STDOUT`);
  (client as unknown as { query(submittable: CopyToStdout): void }).query(copy);
  const text = await copy.done;
  const lines = text.split('\n');
  lines.pop();
  return lines.map((line) => line.split('\t').map(copyValue));
}
