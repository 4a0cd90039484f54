/** The generic Holder Kit connector for the reference holder's two doctypes, with short deadlines and pages of 7. */
import { collectHolderKit } from '../collect-holder-kit.js';
import type { ConnectorContext } from '../../sdk.js';

export const run = (ctx: ConnectorContext): Promise<void> =>
  collectHolderKit(ctx, { doctypes: ['water.daily', 'bill'], callTimeoutMs: 400, retryDelaysMs: [50], pageSize: 7 });
