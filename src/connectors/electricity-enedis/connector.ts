/** Runs in the connector sandbox: the electricity connector with its usual deadlines and retries. */
import { DEFAULT_CALL_POLICY } from '../holder-call.js';
import type { ConnectorContext } from '../sdk.js';
import { collectElectricity } from './collect-electricity.js';

export const run = (ctx: ConnectorContext): Promise<void> => collectElectricity(ctx, DEFAULT_CALL_POLICY);
