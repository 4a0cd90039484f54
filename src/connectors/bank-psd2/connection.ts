/**
 * Connecting Foyer to the bank, the NextGenPSD2 redirect way (run by Foyer when the person
 * connects, see connection-flow.ts): Foyer creates a consent (all accounts, recurring, valid
 * `CONSENT_DAYS`, `FREQUENCY_PER_DAY` unattended reads a day), sends the person to the bank's SCA
 * page where they log in (and type a code if the bank asks) and allow it, then checks at the bank
 * that the consent is `valid`. The runs get its id, never a password.
 */
import { addDays, parisDate } from '../../../catalog/synthetic/time.js';
import type { ConnectionContext, ConnectionFlow } from '../connection-flow.js';
import { DEFAULT_CALL_POLICY, type CallPolicy } from '../holder-call.js';
import { ConnectorError } from '../sdk.js';
import { manifest } from './manifest.js';
import { asObject, text } from '../holder-json.js';
import { psd2, type Psd2Client } from './psd2-api.js';

/** PSD2 lets a consent run 180 days between two authentications of the person. */
export const CONSENT_DAYS = 180;
/** The standard's ceiling for reads the person does not attend (a daily run and a few retries). */
export const FREQUENCY_PER_DAY = 4;

const withParams = (uri: string, params: Record<string, string>): string => {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
};

export function bankConnection(policy: CallPolicy = DEFAULT_CALL_POLICY): ConnectionFlow {
  const client = (ctx: ConnectionContext): Psd2Client => ({
    caller: ctx,
    api: ctx.api,
    bank: manifest.holder.name,
    policy,
    now: ctx.now,
  });
  return {
    async start(ctx, { redirectUri, state }) {
      const created = asObject(
        await psd2(client(ctx), '/v1/consents', 'creating the consent', {
          method: 'POST',
          headers: {
            'tpp-redirect-uri': withParams(redirectUri, { state }),
            'tpp-nok-redirect-uri': withParams(redirectUri, { state, error: 'access_denied' }),
          },
          body: {
            access: { allPsd2: 'allAccounts' },
            recurringIndicator: true,
            validUntil: addDays(parisDate(ctx.now), CONSENT_DAYS),
            frequencyPerDay: FREQUENCY_PER_DAY,
          },
        }),
        'the new consent',
      );
      const consentId = text(created, 'consentId', 'the new consent');
      const links = asObject(created._links, 'the new consent: _links');
      const sca = text(asObject(links.scaRedirect, 'the new consent: scaRedirect'), 'href', 'scaRedirect');
      return { url: new URL(sca, ctx.api).href, keep: { consentId } };
    },

    async finish(ctx, { keep }) {
      const consentId = keep.consentId ?? '';
      const bank = client(ctx);
      const status = asObject(
        await psd2(bank, `/v1/consents/${encodeURIComponent(consentId)}/status`, 'the consent status'),
        'the consent status',
      );
      if (status.consentStatus !== 'valid') {
        throw new ConnectorError(
          'user_action_needed',
          `${bank.bank} did not authorise the consent (it is ${String(status.consentStatus).slice(0, 30)}): connect again.`,
        );
      }
      // Only the id: it is masked in the runs' logs as any credential, and the rest is the bank's to say.
      return { consentId };
    },
  };
}
