/**
 * A hostile app page for the isolation test: with its real session from the host, it tries to
 * reach another host, the shell's cookies and storage, data outside its grant, the owner's API
 * with the owner's cookies, and the top window; it writes what happened to #result.
 */
import { foyerApp } from '../../../../sdk/frame.js';

// The few browser globals used (Foyer's code compiles without the DOM types).
declare const document: { cookie: string; getElementById(id: string): { textContent: string | null } | null };
declare const window: {
  localStorage: { getItem(key: string): string | null };
  top: { location: { href: string } } | null;
};
declare const self: { origin: string };
declare const Image: new () => { onload: (() => void) | null; onerror: (() => void) | null; src: string };

const attempt = async (work: () => Promise<unknown> | unknown): Promise<string> => {
  try {
    return `allowed: ${JSON.stringify(await work())}`;
  } catch (e) {
    return `stopped: ${(e as Error).name}: ${(e as { code?: string }).code ?? (e as Error).message}`;
  }
};

async function main(): Promise<void> {
  const { client, session } = await foyerApp();
  const api = new URL(session.api);
  const otherHost = `${api.protocol}//localhost:${api.port}/api/health`;
  const results: Record<string, string> = {
    origin: String(self.origin),
    allowedRead: await attempt(async () => (await client.documents('bank.transaction').find()).docs.length),
    otherHost: await attempt(async () => (await fetch(otherHost)).status),
    image: await attempt(
      () =>
        new Promise((resolve, reject) => {
          const img = new Image();
          img.onload = () => resolve('loaded');
          img.onerror = () => reject(new Error('image blocked'));
          img.src = `${api.protocol}//localhost:${api.port}/leak.png`;
        }),
    ),
    cookies: await attempt(() => document.cookie),
    localStorage: await attempt(() => window.localStorage.getItem('foyer')),
    outsideGrant: await attempt(async () => (await client.documents('energy.contract').find()).docs.length),
    ownerCookies: await attempt(async () => {
      const res = await fetch(`${session.api}/api/grants`, { credentials: 'include' });
      return res.status;
    }),
    topNavigation: await attempt(() => {
      window.top!.location.href = 'https://example.org/';
      return 'navigated';
    }),
  };
  document.getElementById('result')!.textContent = JSON.stringify(results);
}

main().catch((e: unknown) => {
  document.getElementById('result')!.textContent = `failed: ${(e as Error).message}`;
});
