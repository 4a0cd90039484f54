/**
 * How the PostgreSQL store encrypts what it keeps (docs/security.md, "PostgreSQL"): document
 * bodies and metadata, series points and their day roll-ups, each sealed with AES-256-GCM under
 * the space's data key (`core/keys/space-keys.ts`, the same keys as files), plus keyed blind
 * terms (HMAC-SHA256) that let the database find rows without reading them.
 *
 * A sealed value is `data key version (uint32 BE) · nonce (12 random bytes) · ciphertext · tag`.
 * Its associated data names what it is and the row it belongs to (space, doctype, id and
 * revision for a document; space, doctype, time and stream term for a point), so a value copied
 * to another row, or relabelled as under another key version, does not open.
 *
 * Subkeys are derived with HKDF-SHA256 from a data key, one per use. Terms (index terms, stream
 * terms) use the subkey of the space's data key version 1, which every space has and keeps:
 * terms must stay the same across rotations, or the rows written before one could no longer be
 * found. Rotation therefore renews the encryption of new values, not the terms.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SpaceKeys } from '../../core/keys/space-keys.js';
import { FoyerError } from '../../core/errors.js';

const NONCE = 12;
const TAG = 16;
const HEADER = 4 + NONCE;

type Purpose = 'documents' | 'series' | 'terms';

/** The encryption of one space, with its keys opened: sealing and opening are synchronous. */
export interface SpaceCipher {
  /** Data key version new values are sealed under. */
  version: number;
  seal(purpose: 'documents' | 'series', aad: string, plaintext: Buffer): Buffer;
  /** A keyed term (hex) of the given parts: equal parts, equal terms, within this space only. */
  term(...parts: string[]): string;
}

export interface PostgresCipher {
  /** The space's cipher, its data key made on first use. */
  forSpace(space: string): Promise<SpaceCipher>;
  /** Opens a sealed value of the space (any data key version it names). */
  open(space: string, purpose: 'documents' | 'series', aad: string, sealed: Buffer): Promise<Buffer>;
  /** Same, when the cipher already holds the version (every row of a page usually does). */
  openSync(space: string, purpose: 'documents' | 'series', aad: string, sealed: Buffer): Buffer | null;
  /** Drops what is kept for a deleted space. */
  forget(space: string): void;
}

const info = (purpose: Purpose) => Buffer.from(`foyer postgres ${purpose} v1`, 'utf8');

/** A 32-byte key padded to SHA-256's 64-byte block and XORed with an HMAC pad byte. */
function padKey(key: Buffer, pad: number): Buffer {
  const block = Buffer.alloc(64, pad);
  for (let i = 0; i < key.length; i++) block[i]! ^= key[i]!;
  return block;
}

function derive(key: Buffer, purpose: Purpose): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info(purpose), 32));
}

/** Associated data from its parts; NUL-separated (none of the parts may hold NUL unescaped: ids and doctypes cannot). */
export function associatedData(...parts: (string | number)[]): string {
  return parts.join('\u0000');
}

export function createPostgresCipher(keys: SpaceKeys): PostgresCipher {
  // Derived subkeys per data key buffer: SpaceKeys hands back the same buffers while it keeps a
  // space, and new ones after `forget` (a space deleted and made again gets new keys).
  const derived = new WeakMap<Buffer, Map<Purpose, Buffer>>();
  // The versions this process has opened, per space: what `openSync` can use without waiting.
  const opened = new Map<string, Map<number, Buffer>>();

  function subkey(key: Buffer, purpose: Purpose): Buffer {
    let byPurpose = derived.get(key);
    if (!byPurpose) derived.set(key, (byPurpose = new Map()));
    let k = byPurpose.get(purpose);
    if (!k) byPurpose.set(purpose, (k = derive(key, purpose)));
    return k;
  }

  function remember(space: string, version: number, key: Buffer): void {
    let versions = opened.get(space);
    if (!versions) opened.set(space, (versions = new Map()));
    versions.set(version, key);
  }

  function openWith(key: Buffer, purpose: 'documents' | 'series', aad: string, sealed: Buffer, space: string) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', subkey(key, purpose), sealed.subarray(4, HEADER));
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
      return Buffer.concat([decipher.update(sealed.subarray(HEADER, sealed.length - TAG)), decipher.final()]);
    } catch (cause) {
      throw damaged(space, cause);
    }
  }

  function versionOf(space: string, sealed: Buffer): number {
    if (sealed.length < HEADER + TAG) throw damaged(space);
    return sealed.readUInt32BE(0);
  }

  return {
    async forSpace(space) {
      const current = await keys.current(space);
      const first = current.version === 1 ? current : await keys.version(space, 1);
      remember(space, current.version, current.key);
      remember(space, 1, first.key);
      const sealKeys = {
        documents: subkey(current.key, 'documents'),
        series: subkey(current.key, 'series'),
      };
      // HMAC-SHA256 (RFC 2104) with its two padded-key blocks hashed once: each term then costs
      // two copies of a hash state instead of a new HMAC key set-up.
      const termKey = subkey(first.key, 'terms');
      const inner = createHash('sha256').update(padKey(termKey, 0x36));
      const outer = createHash('sha256').update(padKey(termKey, 0x5c));
      return {
        version: current.version,
        seal(purpose, aad, plaintext) {
          const iv = randomBytes(NONCE);
          const cipher = createCipheriv('aes-256-gcm', sealKeys[purpose], iv);
          cipher.setAAD(Buffer.from(aad, 'utf8'));
          const header = Buffer.allocUnsafe(4);
          header.writeUInt32BE(current.version, 0);
          return Buffer.concat([header, iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
        },
        term(...parts) {
          const digest = inner.copy().update(parts.join('\u0000')).digest();
          return outer.copy().update(digest).digest('hex').slice(0, 32);
        },
      };
    },
    async open(space, purpose, aad, sealed) {
      const version = versionOf(space, sealed);
      const known = opened.get(space)?.get(version);
      const key = known ?? (await keys.version(space, version)).key;
      if (!known) remember(space, version, key);
      return openWith(key, purpose, aad, sealed, space);
    },
    openSync(space, purpose, aad, sealed) {
      const key = opened.get(space)?.get(versionOf(space, sealed));
      return key ? openWith(key, purpose, aad, sealed, space) : null;
    },
    forget(space) {
      opened.delete(space);
      keys.forget(space);
    },
  };
}

function damaged(space: string, cause?: unknown): FoyerError {
  return new FoyerError(
    'integrity_failed',
    `A value stored for space "${space}" does not open with its key: it was altered, or belongs elsewhere.`,
    { space },
    cause === undefined ? undefined : { cause },
  );
}
