/**
 * Loading an app page's data through the SDK: the frame asks the host for its session
 * (`foyerApp()`), then `load` reads what the page needs with the grant's tokens. The page shows
 * its state (loading, error in plain words, ready) and the session's language.
 */
import { useEffect, useState } from 'preact/hooks';
import type { FoyerClient } from '../../../src/sdk/client.js';
import { foyerApp } from '../../../src/sdk/frame.js';
import type { Lang } from './i18n.js';

export type AppState<T> =
  | { status: 'loading'; lang: Lang }
  | { status: 'error'; lang: Lang; message: string; code?: string }
  | { status: 'ready'; lang: Lang; data: T };

const browserLang = (): Lang => (globalThis.navigator?.language?.startsWith('fr') ? 'fr' : 'en');

export function useApp<T>(load: (client: FoyerClient) => Promise<T>): AppState<T> {
  const [state, setState] = useState<AppState<T>>({ status: 'loading', lang: browserLang() });
  useEffect(() => {
    let lang = browserLang();
    foyerApp()
      .then(async ({ client, session }) => {
        lang = session.language;
        document.documentElement.lang = lang;
        setState({ status: 'loading', lang });
        setState({ status: 'ready', lang, data: await load(client) });
      })
      .catch((e: unknown) => {
        const err = e as { message?: string; code?: string };
        setState({ status: 'error', lang, message: err.message ?? String(e), ...(err.code ? { code: err.code } : {}) });
      });
  }, []);
  return state;
}

/** Every point of a series in a range, following the cursor. */
export async function readSeries<P extends object>(
  client: FoyerClient,
  doctype: string,
  range: { from?: string; to?: string } = {},
): Promise<P[]> {
  const out: P[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.series<P>(doctype).read({ ...range, limit: 5000, ...(cursor ? { cursor } : {}) });
    out.push(...page.points);
    cursor = page.points.length > 0 ? page.cursor : undefined;
  } while (cursor);
  return out;
}
