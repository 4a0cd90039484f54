/** Server-stamped document metadata: no client can set any of it. */
import type { Principal } from '../principal.js';

export type Actor =
  | { kind: 'owner'; via: 'session' }
  | { kind: 'owner'; via: 'token'; tokenId: string }
  | { kind: 'system'; reason: string };

export interface DocumentSource {
  /** `manual` for what the owner writes; later `connector`, `import`, `app`, `share`. */
  kind: 'manual' | 'connector' | 'import' | 'app' | 'share' | 'system';
  holder?: string;
  account?: string;
  file?: string;
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
  return principal.via === 'session' ? { kind: 'owner', via: 'session' } : { kind: 'owner', via: 'token', tokenId: principal.tokenId };
}

export function sourceOf(principal: Principal): DocumentSource {
  return { kind: principal.kind === 'system' ? 'system' : 'manual' };
}
