/**
 * A credential as stored: one internal document (`foyer.vault`, id = the credential's ref) whose
 * body holds non-secret metadata and the values sealed under the space's data key (AES-256-GCM,
 * `secret-wrap.ts`: random 96-bit nonce, the data key version named beside the ciphertext). The
 * associated data binds the ciphertext to its space, its ref, the generation of the document's
 * revision (how many times the record was written) and every metadata field, so a ciphertext
 * moved to another record or space, an older write put back over a newer one, or metadata
 * edited (say, `holder`, which tells a connector where to send a password) does not open.
 */
import { z } from 'zod';
import { FoyerError } from '../errors.js';
import { openUnderDataKey, sealUnderDataKey, type WrappedSecret } from '../keys/secret-wrap.js';
import type { SpaceKeys } from '../keys/space-keys.js';

export const VAULT_DOCTYPE = 'foyer.vault';

export const credentialKinds = ['password', 'oauth', 'token', 'other'] as const;
export type CredentialKind = (typeof credentialKinds)[number];

/** What the body says about the credential, in clear: never a secret. */
export interface VaultMetadata {
  kind: CredentialKind;
  label: string;
  /** The data holder it logs in at (a connector's name for it), or null. */
  holder: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VaultRecord extends VaultMetadata {
  /** The values (a JSON object of strings) sealed under data key version `wrapped.v`. */
  wrapped: WrappedSecret;
}

const recordSchema = z.object({
  kind: z.enum(credentialKinds),
  label: z.string(),
  holder: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  // Its encoding is checked when it is opened.
  wrapped: z.object({ v: z.number().int().positive(), iv: z.string(), ct: z.string() }),
});

const valuesSchema = z.record(z.string(), z.string());

/** The generation of a revision (`<generation>-<hex>`, see `nextRevision`). */
export const generationOf = (rev: string): number => Number.parseInt(rev, 10);

/** Where a sealed record belongs: space, ref, and the revision it is written as. */
export interface VaultPlace {
  space: string;
  ref: string;
  rev: string;
}

function associatedData(place: VaultPlace, meta: VaultMetadata, keyVersion: number): Buffer {
  // A JSON array: no separator a label or holder could contain can make two bindings alike.
  const bound = [
    'foyer vault v1',
    place.space,
    place.ref,
    generationOf(place.rev),
    keyVersion,
    meta.kind,
    meta.label,
    meta.holder,
    meta.createdAt,
    meta.updatedAt,
  ];
  return Buffer.from(JSON.stringify(bound), 'utf8');
}

/** The record's body, or `integrity_failed` if it is not one (its ciphertext is not checked here). */
export function parseVaultRecord(place: VaultPlace, data: unknown): VaultRecord {
  const parsed = recordSchema.safeParse(data);
  if (!parsed.success) throw damaged(place);
  return parsed.data;
}

/** `values` sealed under the space's newest data key, for a record written at `place` with `meta`. */
export async function sealVaultRecord(
  keys: SpaceKeys,
  place: VaultPlace,
  meta: VaultMetadata,
  values: Record<string, string>,
): Promise<VaultRecord> {
  const plaintext = Buffer.from(JSON.stringify(values), 'utf8');
  try {
    const wrapped = await sealUnderDataKey(keys, place.space, (v) => associatedData(place, meta, v), plaintext);
    return { ...meta, wrapped };
  } finally {
    plaintext.fill(0);
  }
}

/** The values of a record read at `place`; `integrity_failed` if anything in it was altered or moved. */
export async function openVaultRecord(
  keys: SpaceKeys,
  place: VaultPlace,
  record: VaultRecord,
): Promise<Record<string, string>> {
  const plaintext = await openUnderDataKey(
    keys,
    place.space,
    (v) => associatedData(place, record, v),
    record.wrapped,
    (cause) => damaged(place, cause),
  );
  try {
    const values = valuesSchema.safeParse(parseJson(plaintext.toString('utf8')));
    if (!values.success) throw damaged(place);
    return values.data;
  } finally {
    plaintext.fill(0);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function damaged(place: VaultPlace, cause?: unknown): FoyerError {
  return new FoyerError(
    'integrity_failed',
    `The credential "${place.ref}" of space "${place.space}" does not open: it was altered, or belongs elsewhere.`,
    { space: place.space, ref: place.ref },
    { cause },
  );
}
