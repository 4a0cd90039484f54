/**
 * The access ledger in PostgreSQL: entries keyed (space, seq), the head of each space's chain in
 * `ledger_heads`, moved by the same statement that appends.
 *
 * One round trip per group: a group is one call of `append_ledger` (migration 3), run as a single
 * statement in its own implicit transaction. It locks the space's head row (`FOR UPDATE`), so
 * appenders of a space, in this process or another, chain one after the other and never fork;
 * it hashes each entry from the stored head (PostgreSQL's `sha256`, over the canonical body that
 * core's `ledgerBody` made here), inserts the entries and moves the head.
 *
 * Group commit per space, as for document writes: while a space's group is in flight, the calls
 * arriving for it wait and go together as the next group.
 */
import pg from 'pg';
import type { Pool } from 'pg';
import { ledgerBody } from '../../core/ledger/ledger-entry.js';
import type {
  LedgerAggregateRow,
  LedgerDraft,
  LedgerEntry,
  LedgerGrouping,
  LedgerQuery,
} from '../../core/ledger/ledger-entry.js';
import {
  aggregateColumns,
  checkLedgerDrafts,
  checkWhole,
  entryOfRow,
  LEDGER_COLUMNS,
  ledgerConditions,
} from '../ledger-rows.js';
import { spaceNotFound } from './postgres-context.js';
import { copyToStdout } from './postgres-copy.js';
import { groupCommitPerSpace } from './postgres-group-commit.js';
import type { PostgresContext } from './postgres-context.js';
import { SqlParams } from './postgres-selector.js';

/** Entries in one group at most (a group always takes at least one call, whatever its size). */
const MAX_GROUP_ENTRIES = 10_000;

interface Call {
  drafts: LedgerDraft[];
  resolve(entries: LedgerEntry[]): void;
  reject(error: unknown): void;
}

/** `copy`: scans use `COPY ... TO STDOUT` (false for servers without it, such as PGlite's socket server). */
export function postgresLedger({
  pool,
  schema,
  assertSpace,
  copy,
}: Pick<PostgresContext, 'pool' | 'schema' | 'assertSpace'> & { copy: boolean }) {
  const s = pg.escapeIdentifier(schema);
  const appendSql = `SELECT * FROM ${s}.append_ledger($1, $2::jsonb)`;

  async function commit(space: string, calls: Call[]): Promise<void> {
    try {
      const drafts = calls.flatMap((call) => call.drafts);
      const entries = await appendGroup(pool, appendSql, space, drafts);
      let offset = 0;
      for (const call of calls) {
        call.resolve(entries.slice(offset, offset + call.drafts.length));
        offset += call.drafts.length;
      }
    } catch (error) {
      // Drafts were checked before they waited: a failure here is the database's, the group's.
      for (const call of calls) call.reject(error);
    }
  }

  const enqueue = groupCommitPerSpace<Call>({
    maxSize: MAX_GROUP_ENTRIES,
    sizeOf: (call) => call.drafts.length,
    commit,
  });

  function where(params: SqlParams, space: string, query: LedgerQuery): string[] {
    return [
      `space = ${params.add(space)}`,
      ...ledgerConditions(query).map(([column, op, value]) => `${column} ${op} ${params.add(value)}`),
    ];
  }

  async function rows(text: string, values: unknown[]): Promise<unknown[][]> {
    return (await pool.query<unknown[]>({ text, values, rowMode: 'array' })).rows;
  }

  return {
    appendLedger(space: string, drafts: LedgerDraft[]): Promise<LedgerEntry[]> {
      checkLedgerDrafts(drafts);
      if (drafts.length === 0) return assertSpace(space).then(() => []);
      return new Promise((resolve, reject) => enqueue(space, { drafts, resolve, reject }));
    },

    async readLedger(space: string, query: LedgerQuery, limit: number, beforeSeq?: number): Promise<LedgerEntry[]> {
      const params = new SqlParams();
      const conditions = where(params, space, query);
      if (beforeSeq !== undefined) conditions.push(`seq < ${params.add(checkWhole(beforeSeq, 'beforeSeq'))}`);
      const found = await rows(
        `SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger_entries WHERE ${conditions.join(' AND ')}
          ORDER BY seq DESC LIMIT ${params.add(checkWhole(limit, 'A limit'))}`,
        params.values,
      );
      if (found.length === 0) await assertSpace(space);
      return found.map(entryOfRow);
    },

    /** Through COPY when the server speaks it: verification reads a million entries in pages. */
    async scanLedger(space: string, afterSeq: number, limit: number): Promise<LedgerEntry[]> {
      const where = `space = ${pg.escapeLiteral(space)} AND seq > ${checkWhole(afterSeq, 'afterSeq')}`;
      const query = `SELECT ${LEDGER_COLUMNS} FROM ${s}.ledger_entries WHERE ${where} ORDER BY seq LIMIT ${checkWhole(limit, 'A limit')}`;
      let found: unknown[][];
      if (copy) {
        const client = await pool.connect();
        try {
          found = await copyToStdout(client, query);
        } finally {
          client.release();
        }
      } else {
        found = await rows(query, []);
      }
      if (found.length === 0) await assertSpace(space);
      return found.map(entryOfRow);
    },

    async aggregateLedger(space: string, query: LedgerQuery, by: LedgerGrouping): Promise<LedgerAggregateRow[]> {
      const params = new SqlParams();
      const columns = aggregateColumns(by);
      const found = await rows(
        `SELECT ${columns} FROM ${s}.ledger_entries WHERE ${where(params, space, query).join(' AND ')}
          GROUP BY 1 ORDER BY 1`,
        params.values,
      );
      if (found.length === 0) await assertSpace(space);
      return found.map(([key, allowed, denied, failed, items]) => ({
        key: key as string,
        allowed: Number(allowed),
        denied: Number(denied),
        failed: Number(failed),
        items: Number(items),
      }));
    },

    async ledgerHead(space: string): Promise<{ seq: number; hash: string }> {
      const result = await pool.query<{ seq: string; hash: string }>(
        `SELECT seq, hash FROM ${s}.ledger_heads WHERE space = $1`,
        [space],
      );
      const head = result.rows[0];
      if (!head) throw spaceNotFound(space);
      return { seq: Number(head.seq), hash: head.hash };
    },
  };
}

/** One group: one statement; the entries as chained by the database. */
async function appendGroup(pool: Pool, sql: string, space: string, drafts: LedgerDraft[]): Promise<LedgerEntry[]> {
  const bodies = drafts.map(ledgerBody);
  const result = await pool.query<{ base: string | null; base_hash: string | null; hashes: string[] }>(sql, [
    space,
    JSON.stringify(bodies),
  ]);
  const row = result.rows[0];
  if (!row || row.base === null || row.base_hash === null) throw spaceNotFound(space);
  const base = Number(row.base);
  let prevHash = row.base_hash;
  return drafts.map((draft, i) => {
    const hash = row.hashes[i]!;
    const entry = { ...draft, seq: base + i + 1, prevHash, hash };
    prevHash = hash;
    return entry;
  });
}
