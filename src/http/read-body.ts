import type { Context } from 'hono';
import { FoyerError } from '../core/errors.js';
import { requestHeader } from './request-header.js';

/** Default cap for JSON bodies; routes that take batches declare their own. */
export const DEFAULT_JSON_LIMIT = 1024 * 1024;

/**
 * Reads and parses a JSON body, refusing wrong content types (415) and oversize bodies (413)
 * without buffering more than the limit, whether or not the client sent a Content-Length.
 */
export async function readJsonBody(c: Context, maxBytes = DEFAULT_JSON_LIMIT): Promise<unknown> {
  const type = requestHeader(c, 'content-type');
  if (!type || !/^application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(type)) {
    throw new FoyerError('unsupported_media_type', 'Send the body as JSON, with "Content-Type: application/json".');
  }
  const declared = requestHeader(c, 'content-length');
  let text: string;
  if (declared !== undefined) {
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
    text = await c.req.text();
  } else {
    text = await readCapped(c.req.raw.body, maxBytes);
  }
  if (text.length === 0) throw new FoyerError('invalid_json', 'The request body is empty; a JSON value was expected.');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FoyerError('invalid_json', `The request body is not valid JSON (${(e as Error).message}).`);
  }
}

/** A raw body (file content) as bytes, refused early when its declared length is already too large. */
export function rawBody(req: Request, maxBytes: number): AsyncIterable<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    throw new FoyerError('payload_too_large', `Files are at most ${maxBytes} bytes here.`, { maxBytes });
  }
  if (!req.body) return (async function* () {})();
  return req.body as unknown as AsyncIterable<Uint8Array>;
}

export async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (maxBytes: number) =>
  new FoyerError('payload_too_large', `The request body is larger than the ${maxBytes} bytes this endpoint accepts.`, {
    maxBytes,
  });
