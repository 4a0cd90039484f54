/**
 * Connecting Foyer to the distributor, the Enedis Data Connect way (run by Foyer when the person
 * connects, see connection-flow.ts): the person opens the distributor's consent page (its own
 * login, a code if it asks one), accepts for `CONSENT_DURATION`, and is sent back with the id of
 * their usage point and no code: the API is read with Foyer's own client-credentials token. Foyer
 * checks the consent works (the usage point's contract answers) before keeping it.
 */
import type { ConnectionFlow } from '../connection-flow.js';
import { DEFAULT_CALL_POLICY, type CallPolicy } from '../holder-call.js';
import { ConnectorError } from '../sdk.js';
import { enedisGet, type EnedisClient } from './enedis-api.js';
import { manifest } from './manifest.js';

/** Foyer's application at a distributor: client credentials, the operator's, not the person's. */
export interface DistributorClient {
  clientId: string;
  clientSecret: string;
}

/** The application `foyer holders` registers at the simulated distributor (src/holders/start-holders.ts). */
export const SIMULATED_CLIENT: DistributorClient = { clientId: 'foyer', clientSecret: 'foyer-simulated-secret' };

/** As long as Foyer's own consent for the connector lasts (manifest `consentValidity`, one year). */
export const CONSENT_DURATION = 'P1Y';

const USAGE_POINT = /^\d{14}$/;

export function electricityConnection(
  client: DistributorClient = SIMULATED_CLIENT,
  policy: CallPolicy = DEFAULT_CALL_POLICY,
): ConnectionFlow {
  return {
    async start(ctx, { redirectUri, state }) {
      const url = new URL('/dataconnect/v1/oauth2/authorize', ctx.api);
      url.search = new URLSearchParams({
        client_id: client.clientId,
        response_type: 'code',
        state,
        duration: CONSENT_DURATION,
        redirect_uri: redirectUri,
      }).toString();
      return { url: url.href };
    },

    async finish(ctx, { params }) {
      const distributor = manifest.holder.name;
      const usagePointId = params.usage_point_id ?? '';
      if (!USAGE_POINT.test(usagePointId)) {
        throw new ConnectorError('holder_format_changed', `${distributor} sent no usage point id (14 digits) back.`);
      }
      const api: EnedisClient = { caller: ctx, api: ctx.api, distributor, policy, usagePointId, ...client };
      await enedisGet(api, '/customers_upc/v5/usage_points/contracts', {}, 'the usage point’s contract');
      return { usagePointId, clientId: client.clientId, clientSecret: client.clientSecret };
    },
  };
}
