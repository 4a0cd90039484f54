/** Reading protocol requests: form bodies and query strings, each parameter at most once (RFC 6749 §3.1, §3.2). */
import { KitError } from './kit-error.js';

const FORM_LIMIT = 16 * 1024;

/** The parameters as a plain record; a repeated one is an `invalid_request`. */
export function singleParams(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(out, name)) throw new KitError('invalid_request', `The parameter "${name}" is repeated.`);
    out[name] = value;
  }
  return out;
}

export async function readForm(request: Request): Promise<Record<string, string>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\b/i.test(type)) {
    throw new KitError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > FORM_LIMIT) throw new KitError('invalid_request', 'The body is too large.');
  const text = await request.text();
  if (text.length > FORM_LIMIT) throw new KitError('invalid_request', 'The body is too large.');
  return singleParams(new URLSearchParams(text));
}

export const queryParams = (url: string): Record<string, string> => singleParams(new URL(url).searchParams);

/** A required parameter, or `invalid_request` naming it. */
export function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new KitError('invalid_request', `The parameter "${name}" is missing.`);
  return value;
}
