/** Server-stamped document metadata: no client can set any of it. */
import type { GranteeKind } from '../grants/grant.js';
import type { Principal } from '../principal.js';

export type Actor =
  | { kind: 'owner'; via: 'session' }
  | { kind: 'owner'; via: 'token'; tokenId: string }
  | { kind: 'system'; reason: string }
  /** A file import: which one, by which importer (the file is in the source). */
  | { kind: 'import'; id: string; importer: string }
  /** A grantee, with the grant (and its version) it acted under: what a withdrawal deletes. */
  | { kind: GranteeKind; id: string; grant: string; version: number };

export interface DocumentSource {
  /** `manual` for what the owner writes; later `connector`, `import`, `app`, `share`. */
  kind: 'manual' | 'connector' | 'import' | 'app' | 'share' | 'system';
  holder?: string;
  account?: string;
  file?: string;
  /** For imports: sha256 of the file, hex. */
  checksum?: string;
  importer?: string;
}

export interface DocumentMeta {
  createdAt: string;
  updatedAt: string;
  createdBy: Actor;
  updatedBy: Actor;
  source: DocumentSource;
  collectedAt?: string;
  deletedAt?: string;
}

export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'system') return { kind: 'system', reason: principal.reason };
  if (principal.kind === 'import') return { kind: 'import', id: principal.importId, importer: principal.importer };
  if (principal.kind === 'grant') {
    const { grant } = principal;
    return { kind: grant.grantee.kind, id: grant.grantee.id, grant: grant.id, version: grant.version };
  }
  return principal.via === 'session'
    ? { kind: 'owner', via: 'session' }
    : { kind: 'owner', via: 'token', tokenId: principal.tokenId };
}

export function sourceOf(principal: Principal): DocumentSource {
  if (principal.kind === 'import') {
    return { kind: 'import', file: principal.file, checksum: principal.checksum, importer: principal.importer };
  }
  if (principal.kind !== 'grant') return { kind: principal.kind === 'system' ? 'system' : 'manual' };
  const grantee = principal.grant.grantee.kind;
  return { kind: grantee === 'app' || grantee === 'service' ? 'app' : grantee === 'connector' ? 'connector' : 'share' };
}

/**
 * The metadata of a new version: creation facts carried over from the previous live version
 * (JSON text, or null for a first write), update facts from the acting principal.
 */
export function stampMeta(principal: Principal, previousMeta: string | null, now: number, deleted: boolean): string {
  const at = new Date(now).toISOString();
  const actor = actorOf(principal);
  const before = previousMeta === null ? null : (JSON.parse(previousMeta) as DocumentMeta);
  const meta: DocumentMeta = {
    createdAt: before?.createdAt ?? at,
    updatedAt: at,
    createdBy: before?.createdBy ?? actor,
    updatedBy: actor,
    source: before?.source ?? sourceOf(principal),
    ...(before?.collectedAt ? { collectedAt: before.collectedAt } : {}),
    ...(deleted ? { deletedAt: at } : {}),
  };
  return JSON.stringify(meta);
}
