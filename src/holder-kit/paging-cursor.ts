/**
 * Paging cursors: opaque to clients, tamper-evident, bound to one customer and one doctype. A
 * cursor carries the walk's `since` and `until` (fixed on its first page) and the dataset's own
 * position, signed with HMAC-SHA256; the customer's id enters the signature, not the text.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { KitError } from './kit-error.js';

export interface CursorState {
  doctype: string;
  since: number | null;
  until: number;
  position: string;
}

const MAX_CURSOR_LENGTH = 4096;

export interface CursorSigner {
  encode(customerId: string, state: CursorState): string;
  /** The state, or a 400 `invalid_cursor` for anything not issued by this holder for this customer. */
  decode(customerId: string, cursor: string): CursorState;
}

export function createCursorSigner(secret: Uint8Array = randomBytes(32)): CursorSigner {
  if (secret.length < 32) throw new Error('The Holder Kit cursor secret must be at least 32 bytes.');
  const tag = (customerId: string, payload: string) =>
    createHmac('sha256', secret).update(`holder-kit cursor v1\n${customerId}\n${payload}`).digest().subarray(0, 16);
  const refuse = () => new KitError('invalid_cursor', 'The cursor is not one this server issued (or it was altered).');

  return {
    encode(customerId, state) {
      const payload = Buffer.from(
        JSON.stringify([1, state.doctype, state.since, state.until, state.position]),
      ).toString('base64url');
      return `${payload}.${tag(customerId, payload).toString('base64url')}`;
    },
    decode(customerId, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw refuse();
      const [payload, signature, extra] = cursor.split('.');
      if (payload === undefined || signature === undefined || extra !== undefined) throw refuse();
      const given = Buffer.from(signature, 'base64url');
      const expected = tag(customerId, payload);
      // base64url decoding skips stray characters: compare the re-encoding too.
      if (given.toString('base64url') !== signature || given.length !== expected.length) throw refuse();
      if (!timingSafeEqual(given, expected)) throw refuse();
      const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      if (!Array.isArray(parsed) || parsed[0] !== 1) throw refuse();
      const [, doctype, since, until, position] = parsed as [number, string, number | null, number, string];
      return { doctype, since, until, position };
    },
  };
}
