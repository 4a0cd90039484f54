/**
 * The person's browser at a Holder Kit holder, for tests: opens the authorization URL Foyer gave,
 * logs in (with the one-time code if the holder asks one), allows, and answers the URL the holder
 * sends the browser back to (Foyer's callback, or the CLI's loopback address).
 */
import { createConformanceClient } from '../../../holder-kit/conformance/conformance-client.js';
import { consentOf, decide, loginFormOf, open, type FlowContext } from '../../../holder-kit/conformance/oauth-flow.js';
import { discoveryDocumentSchema } from '../../../holder-kit/discovery-document.js';

export interface HolderLogin {
  username: string;
  password: string;
  /** Asked by the holder's login page when its second-factor fault strikes. */
  otp?: string;
}

export async function authorizeAtHolder(authorizationUrl: string, login: HolderLogin): Promise<URL> {
  const asked = new URL(authorizationUrl);
  const redirectUri = asked.searchParams.get('redirect_uri') ?? '';
  const client = createConformanceClient({
    fetch,
    holderOrigin: asked.origin,
    redirectUri,
    timeoutMs: 10_000,
    patienceMs: 0,
  });
  const doc = discoveryDocumentSchema.parse((await client.get(`${asked.origin}/.well-known/holder-kit`)).json);
  const flow: FlowContext = { client, doc, clientId: asked.searchParams.get('client_id') ?? '', redirectUri, ...login };
  const form = loginFormOf(flow, await open(flow, authorizationUrl));
  if (!form) throw new Error('no login form at the holder');
  let nav = await client.navigate(await client.submit(form, { username: login.username, password: login.password }));
  const otpForm =
    nav.kind === 'page' ? client.forms(nav.result).find((f) => f.fields.some((x) => x.name === 'otp')) : undefined;
  if (otpForm) nav = await client.navigate(await client.submit(otpForm, { otp: login.otp ?? '' }));
  const consent = consentOf(flow, nav);
  if (!consent) throw new Error('no consent page at the holder after logging in');
  return decide(flow, consent, 'allow');
}
