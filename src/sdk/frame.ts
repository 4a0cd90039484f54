/**
 * For an app's web page: `await foyerApp()` asks the host page for the app's session and returns a
 * client whose requests carry the token of the grant covering each doctype. When a token expires,
 * the next request asks the host again.
 */
import { createFoyerClient, FoyerApiError, type FoyerClient } from './client.js';
import { HELLO, SESSION, type FrameSession } from './frame-protocol.js';

/** The few window functions used here (Foyer's server code compiles without the DOM types). */
interface FrameWindow {
  parent: { postMessage(message: unknown, targetOrigin: string): void };
  addEventListener(type: 'message', listener: (event: { source: unknown; data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (event: { source: unknown; data: unknown }) => void): void;
}

export interface FoyerAppContext {
  client: FoyerClient;
  session: FrameSession;
}

/** Resolves with the next session the parent window sends. */
function askSession(timeoutMs: number): Promise<FrameSession> {
  const window = globalThis as unknown as FrameWindow;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new FoyerApiError('unauthenticated', 0, 'The host page gave no session: open the app from Foyer.'));
    }, timeoutMs);
    function onMessage(event: { source: unknown; data: unknown }): void {
      if (event.source !== window.parent) return;
      const data = event.data as Partial<FrameSession> | null;
      if (data?.type !== SESSION) return;
      clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(data as FrameSession);
    }
    window.addEventListener('message', onMessage);
    // The frame's origin is opaque: the hello carries no secret, so any target will do.
    window.parent.postMessage({ type: HELLO }, '*');
  });
}

export async function foyerApp(options: { timeoutMs?: number } = {}): Promise<FoyerAppContext> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let session = await askSession(timeoutMs);
  let fetchedAt = Date.now();
  const tokenFor = async (doctype: string): Promise<string> => {
    const entry = session.grants.find((g) => g.doctypes.includes(doctype)) ?? session.grants[0];
    if (!entry) return '';
    // A minute of margin before expiry: ask the host for fresh tokens.
    if (Date.now() - fetchedAt > (entry.expiresIn - 60) * 1000) {
      session = await askSession(timeoutMs);
      fetchedAt = Date.now();
      return tokenFor(doctype);
    }
    return entry.accessToken;
  };
  return { client: createFoyerClient({ baseUrl: session.api, token: tokenFor }), session };
}
