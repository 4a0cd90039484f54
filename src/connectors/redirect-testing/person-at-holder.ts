/**
 * The person's side of a `redirect` connection in tests, as a small browser: Foyer's connection
 * start, the holder's own pages (login, a code when the holder asks one, the consent page: allow
 * or deny), and back to Foyer's callback. The simulated bank and distributor share these pages
 * (src/holders/holder-pages.ts).
 */
import { formBody, formOf } from '../../holders/testing/html-form.js';
import { jsonBody } from '../../testing/json-body.js';
import type { TestFoyer } from '../../testing/test-foyer.js';

export interface HolderLogin {
  username: string;
  password: string;
  /** Typed when the holder asks for a code (its second-factor fault). */
  otp?: string;
}

/** Follows the holder's pages from `url`; answers where the holder sends the person back. */
export async function consentAtHolder(url: string, login: HolderLogin, decision: 'allow' | 'deny'): Promise<URL> {
  let res = await fetch(url, { redirect: 'manual' });
  let at = url;
  const submit = async (extra: Record<string, string>) => {
    const html = await res.text();
    if (res.status !== 200) throw new Error(`the holder answered ${res.status}: ${html.slice(0, 300)}`);
    const form = formOf(html);
    at = new URL(form.action, at).href;
    res = await fetch(at, { ...formBody({ ...form.fields, ...extra }), redirect: 'manual' });
  };
  await submit({ username: login.username, password: login.password, action: 'login' });
  if (res.status === 200 && (await res.clone().text()).includes('name="otp"')) await submit({ otp: login.otp ?? '' });
  if (res.status === 200) await submit({ accept: 'yes', decision });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`the holder did not send the person back (${res.status})`);
  return new URL(location, at);
}

/** Starts the connection in Foyer, consents at the holder, comes back: Foyer's callback answer. */
export async function connectAtHolder(
  f: TestFoyer,
  id: string,
  login: HolderLogin,
  decision: 'allow' | 'deny' = 'allow',
): Promise<{ status: number; page: string }> {
  const started = await f.request(`/api/connectors/${id}/oauth/start`, { method: 'POST' });
  const body = await jsonBody(started);
  if (!started.ok) throw new Error(`oauth start: ${started.status} ${JSON.stringify(body)}`);
  const back = await consentAtHolder(body.authorizationUrl as string, login, decision);
  const done = await fetch(back);
  return { status: done.status, page: await done.text() };
}
