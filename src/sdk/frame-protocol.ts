/**
 * The messages between Foyer's Apps screen (the host page) and an app's sandboxed frame. The frame
 * says hello; the host answers with a session: Foyer's origin and one short-lived access token per
 * grant of the app, with the doctypes each covers. Nothing else crosses: the frame never sees the
 * owner's session, and the host checks that a hello comes from its own frame at an opaque origin.
 */
export const HELLO = 'foyer-app:hello';
export const SESSION = 'foyer-app:session';

export interface FrameHello {
  type: typeof HELLO;
}

export interface FrameGrantToken {
  grant: string;
  /** Doctypes this grant's scopes name. */
  doctypes: string[];
  accessToken: string;
  /** Seconds the token lives. */
  expiresIn: number;
}

export interface FrameSession {
  type: typeof SESSION;
  app: string;
  /** Foyer's origin: the only destination the frame's CSP lets it reach. */
  api: string;
  language: 'en' | 'fr';
  grants: FrameGrantToken[];
}
