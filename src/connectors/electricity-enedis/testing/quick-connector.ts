/** The electricity connector with short deadlines and one quick retry, for the fault tests. */
import type { ConnectorContext } from '../../sdk.js';
import { collectElectricity } from '../collect-electricity.js';

export const run = (ctx: ConnectorContext): Promise<void> =>
  collectElectricity(ctx, { timeoutMs: 400, retryDelaysMs: [20] });
