/**
 * The access ledger over HTTP, for the space's owner: who used what, when, for what (entries,
 * newest first), the same counted per grantee, doctype or day, and the verification of the chain.
 */
import { z } from 'zod';
import { LEDGER_MAX_LIMIT, type LedgerService } from '../../core/ledger/ledger-service.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';

const bound = z.string().max(40);
const filters = {
  grantee: z
    .string()
    .max(300)
    .optional()
    .meta({ description: 'A kind of grantee (`app`, `connector`, `owner`...) or one grantee as `kind:id`.' }),
  doctype: z.string().max(100).optional(),
  grant: z.string().max(100).optional().meta({ description: 'Only entries of this grant.' }),
  outcome: z.enum(['allowed', 'denied', 'failed']).optional(),
  from: bound
    .optional()
    .meta({ description: "Inclusive: an instant with its offset, or a local day `YYYY-MM-DD` (the space's zone)." }),
  to: bound.optional().meta({ description: 'Exclusive: an instant with its offset, or a local day `YYYY-MM-DD`.' }),
};

const entry = z.object({
  seq: z.number(),
  at: z.string(),
  day: z.string(),
  actorKind: z.string(),
  actorId: z.string(),
  grant: z.string().nullable(),
  grantVersion: z.number().nullable(),
  verb: z.string(),
  doctype: z.string(),
  count: z.number(),
  idsDigest: z.string().nullable(),
  purpose: z.string().nullable(),
  outcome: z.enum(['allowed', 'denied', 'failed']),
  code: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

const verification = z.object({
  ok: z.boolean(),
  checked: z.number(),
  head: z.object({ seq: z.number(), hash: z.string() }),
  problems: z.array(
    z.object({
      seq: z.number(),
      kind: z.enum(['edited', 'missing', 'reordered', 'relinked', 'truncated', 'unrecorded']),
      message: z.string(),
    }),
  ),
  omitted: z.number(),
});

export function ledgerRoutes(deps: { ledger: LedgerService }): Route[] {
  const { ledger } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/ledger',
        operationId: 'listLedger',
        summary: 'Who used what, when, for what: the access ledger, newest first.',
        description:
          'One entry per request to the space (allowed, denied or failed), the owner’s own included. Filters combine; ' +
          '`cursor` (from the previous page) gives older entries.',
        tag: 'ledger',
        auth: 'owner',
        query: z.object({
          ...filters,
          limit: z.coerce.number().int().positive().max(LEDGER_MAX_LIMIT).optional(),
          cursor: z.string().max(100).optional(),
        }),
        responses: {
          200: {
            description: 'Entries, newest first.',
            json: z.object({ entries: z.array(entry), cursor: z.string().optional() }),
          },
        },
      },
      async (c, { query, ctx }) => {
        const { limit, cursor, ...rest } = query;
        return json(await ledger.list(ctx, rest, limit, cursor));
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/ledger/aggregate',
        operationId: 'aggregateLedger',
        summary: 'The ledger counted per grantee, doctype or day, by outcome.',
        description:
          '`items` sums the documents, points or files the allowed requests touched. Days are local days of the ' +
          'space; keys ascending.',
        tag: 'ledger',
        auth: 'owner',
        query: z.object({ ...filters, by: z.enum(['actor', 'doctype', 'day']) }),
        responses: {
          200: {
            description: 'One row per key.',
            json: z.object({
              by: z.string(),
              timeZone: z.string(),
              rows: z.array(
                z.object({
                  key: z.string(),
                  allowed: z.number(),
                  denied: z.number(),
                  failed: z.number(),
                  items: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async (c, { query, ctx }) => {
        const { by, ...rest } = query;
        return json(await ledger.aggregate(ctx, rest, by));
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/ledger/verify',
        operationId: 'verifyLedger',
        summary: 'Check the hash chain: names any entry edited, removed or reordered, and a cut tail.',
        description: 'Answers 200 in both cases; `ok` says whether the ledger is intact.',
        tag: 'ledger',
        auth: 'owner',
        responses: { 200: { description: 'The verification.', json: verification } },
      },
      async (c, { ctx }) => json(await ledger.verify(ctx)),
    ),
  ];
}
