/**
 * What a connector's worker may say to the parent, checked on arrival: the worker runs code Foyer
 * does not trust, so its messages are input like any other.
 */
import { z } from 'zod';

const json = z.custom<Record<string, unknown>>(
  (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  'a JSON object',
);

export const fetchArgs = z.object({
  url: z.string().max(8192),
  init: z
    .object({
      method: z.enum(['GET', 'POST']).optional(),
      headers: z.record(z.string().max(200), z.string().max(16_384)).optional(),
      body: z
        .string()
        .max(4 * 1024 * 1024)
        .optional(),
      timeoutMs: z.number().int().min(1).max(300_000).optional(),
    })
    .strict(),
});

export const fileArgs = z
  .object({
    key: z.string().min(1).max(512),
    url: z.string().max(8192),
    headers: z.record(z.string().max(200), z.string().max(16_384)).optional(),
    name: z.string().min(1).max(255),
    contentType: z.string().min(3).max(200).optional(),
    folder: z.string().min(1).max(1024).optional(),
    timeoutMs: z.number().int().min(1).max(300_000).optional(),
  })
  .strict();

export const upsertArgs = z.object({
  records: z.array(z.object({ doctype: z.string().max(100), key: z.string().min(1).max(512), data: json })).max(500),
});

export const pointsArgs = z.object({
  doctype: z.string().max(100),
  points: z.array(json).max(100_000),
});

export const secondFactorArgs = z.object({
  prompt: z.string().min(1).max(500),
  deadline: z.union([z.string().max(40), z.number()]),
});

export const callMessage = z.discriminatedUnion('op', [
  z.object({ t: z.literal('call'), id: z.number().int(), op: z.literal('fetch'), args: z.unknown() }),
  z.object({ t: z.literal('call'), id: z.number().int(), op: z.literal('upsert'), args: z.unknown() }),
  z.object({ t: z.literal('call'), id: z.number().int(), op: z.literal('file'), args: z.unknown() }),
  z.object({ t: z.literal('call'), id: z.number().int(), op: z.literal('points'), args: z.unknown() }),
  z.object({ t: z.literal('call'), id: z.number().int(), op: z.literal('credentials'), args: z.unknown() }),
  z.object({ t: z.literal('call'), id: z.number().int(), op: z.literal('secondFactor'), args: z.unknown() }),
]);

export const workerMessage = z.union([
  callMessage,
  z.object({ t: z.literal('violation'), what: z.string().max(300) }),
  z.object({ t: z.literal('cursor'), json: z.string().max(64 * 1024) }),
  z.object({
    t: z.literal('progress'),
    done: z.number(),
    total: z.number().optional().nullable(),
    message: z.string().max(500).optional().nullable(),
  }),
  z.object({ t: z.literal('log'), text: z.string().max(2000) }),
  z.object({ t: z.literal('done') }),
  z.object({
    t: z.literal('failed'),
    error: z.object({
      name: z.string().max(100),
      code: z.string().max(100).optional(),
      message: z.string().max(2000),
      retryAfterSeconds: z.number().optional(),
    }),
  }),
]);

export type WorkerMessage = z.infer<typeof workerMessage>;
export type CallMessage = z.infer<typeof callMessage>;
