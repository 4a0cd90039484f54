/** The bank connector with short deadlines and one quick retry, for the fault tests (hangs, 500s). */
import type { ConnectorContext } from '../../sdk.js';
import { collectBank } from '../collect-bank.js';

export const QUICK_POLICY = { timeoutMs: 400, retryDelaysMs: [20] };

export const run = (ctx: ConnectorContext): Promise<void> => collectBank(ctx, QUICK_POLICY);
