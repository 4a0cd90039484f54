/**
 * The conformance test's HTTP side: a small browser (cookies for the holder's origin, redirects
 * followed by hand until they reach the client's redirect URI) and a protocol client (forms to
 * the token endpoint, bearer requests), with a deadline per request and patience for 429s.
 */
import { parseForms, type HtmlForm } from './html-forms.js';

export interface HttpResult {
  status: number;
  headers: Headers;
  url: string;
  bytes: Uint8Array;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export type Navigation = { kind: 'callback'; url: URL } | { kind: 'page'; result: HttpResult };

export interface ConformanceClientOptions {
  fetch: typeof fetch;
  holderOrigin: string;
  redirectUri: string;
  timeoutMs: number;
  /** How long a 429's Retry-After may make us wait, in all (ms). */
  patienceMs: number;
}

const MAX_REDIRECTS = 10;

export class CheckFailure extends Error {}

export function createConformanceClient(o: ConformanceClientOptions) {
  const cookies = new Map<string, string>();
  let waited = 0;

  function remember(url: string, headers: Headers) {
    if (new URL(url).origin !== o.holderOrigin) return;
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(eq + 1).trim());
    }
  }

  async function request(url: string, init: RequestInit = {}): Promise<HttpResult> {
    for (;;) {
      const headers = new Headers(init.headers);
      if (new URL(url).origin === o.holderOrigin && cookies.size > 0) {
        headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
      }
      let response: Response;
      try {
        response = await o.fetch(url, {
          ...init,
          headers,
          redirect: 'manual',
          signal: AbortSignal.timeout(o.timeoutMs),
        });
      } catch (e) {
        const reason =
          (e as Error).name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (e as Error).message;
        throw new CheckFailure(`${init.method ?? 'GET'} ${url}: ${reason}`);
      }
      remember(url, response.headers);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const retryAfter = Number(response.headers.get('retry-after'));
      if (response.status === 429 && retryAfter > 0 && waited + retryAfter * 1000 <= o.patienceMs) {
        waited += retryAfter * 1000;
        await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
        continue;
      }
      const text = new TextDecoder().decode(bytes);
      let json: unknown;
      if (/\bjson\b/i.test(response.headers.get('content-type') ?? '')) {
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
      }
      return { status: response.status, headers: response.headers, url, bytes, text, json };
    }
  }

  const isCallback = (location: string) => location.split(/[?#]/)[0] === o.redirectUri.split(/[?#]/)[0];

  /** Follows the holder's redirects until a page, or until it sends the browser back to the client. */
  async function navigate(first: HttpResult): Promise<Navigation> {
    let result = first;
    for (let hops = 0; result.status >= 300 && result.status < 400; hops++) {
      const location = result.headers.get('location');
      if (!location) throw new CheckFailure(`${result.url} answered ${result.status} without a Location`);
      const next = new URL(location, result.url);
      if (isCallback(next.href)) return { kind: 'callback', url: next };
      if (hops >= MAX_REDIRECTS) throw new CheckFailure(`more than ${MAX_REDIRECTS} redirects from ${first.url}`);
      result = await request(next.href);
    }
    return { kind: 'page', result };
  }

  function submit(form: HtmlForm, values: Record<string, string>, button?: { name: string; value: string }) {
    const body = new URLSearchParams();
    for (const field of form.fields) {
      if (field.type === 'checkbox' || field.type === 'radio') continue;
      body.append(field.name, values[field.name] ?? field.value);
    }
    if (button) body.append(button.name, button.value);
    if (form.method !== 'post') throw new CheckFailure(`the form posting to ${form.action} is not method="post"`);
    return request(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  return {
    request,
    navigate,
    submit,
    get: (url: string, headers: Record<string, string> = {}) => request(url, { headers }),
    postForm: (url: string, params: Record<string, string>) =>
      request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams(params).toString(),
      }),
    bearer: (url: string, token: string, headers: Record<string, string> = {}) =>
      request(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...headers } }),
    forms: (result: HttpResult) => parseForms(result.text, result.url),
  };
}

export type ConformanceClient = ReturnType<typeof createConformanceClient>;
