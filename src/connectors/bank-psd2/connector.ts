/** Runs in the connector sandbox: the bank connector with its usual deadlines and retries. */
import { DEFAULT_CALL_POLICY } from '../holder-call.js';
import type { ConnectorContext } from '../sdk.js';
import { collectBank } from './collect-bank.js';

export const run = (ctx: ConnectorContext): Promise<void> => collectBank(ctx, DEFAULT_CALL_POLICY);
