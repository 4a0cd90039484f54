/**
 * The host side of an app frame: answers the frame's hello with a session (tokens of the app's
 * grants only, fetched from Foyer for this app), and only when the hello comes from this frame's
 * window at an opaque origin (`null`): a frame navigated elsewhere gets nothing.
 */
import type { Api } from '../../api/client.js';

const HELLO = 'foyer-app:hello';

export function hostFrame(frame: HTMLIFrameElement, appId: string, api: Api, language: 'en' | 'fr'): () => void {
  const onMessage = (event: MessageEvent) => {
    if (event.source !== frame.contentWindow || event.origin !== 'null') return;
    if ((event.data as { type?: unknown } | null)?.type !== HELLO) return;
    void api
      .post<unknown>(`/api/apps/${encodeURIComponent(appId)}/session?language=${language}`)
      .then((session) => frame.contentWindow?.postMessage(session, '*'))
      .catch(() => undefined);
  };
  window.addEventListener('message', onMessage);
  return () => window.removeEventListener('message', onMessage);
}
