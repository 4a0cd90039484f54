/** Schemas shared by several routes. */
import { z } from 'zod';

export const doctypeName = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'a doctype name is dotted lower-case words, e.g. bank.transaction')
  .meta({ description: 'Doctype name, e.g. `bank.transaction`.' });

export const documentId = z.string().min(1).max(1024).meta({ description: 'Document id.' });

export const writeResult = z.object({ ok: z.literal(true), id: z.string(), rev: z.string() });

export const documentJson = z
  .looseObject({
    _id: z.string(),
    _rev: z.string(),
    _meta: z.looseObject({ createdAt: z.string(), updatedAt: z.string() }),
  })
  .meta({ description: "The document's own fields, plus `_id`, `_rev` and the server-stamped `_meta`." });

export const documentInput = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A document of the doctype (validated against its JSON Schema); `_id`, `_rev` optional.' });
