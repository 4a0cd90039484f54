/**
 * `COPY ... FROM STDIN` through pg, for bulk appends: the fastest way into PostgreSQL (a third of
 * the time of an INSERT from a JSON or array parameter for 175,200 points, measured here).
 *
 * pg runs any "submittable" (an object with `submit(connection)` and the handlers it calls for the
 * server's messages) in its query queue; this one answers the server's CopyInResponse with the
 * rows, in text format.
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
