/** The generic Holder Kit connector for the reference holder's bills only (its grant holds no more). */
import { collectHolderKit } from '../collect-holder-kit.js';
import type { ConnectorContext } from '../../sdk.js';

export const run = (ctx: ConnectorContext): Promise<void> => collectHolderKit(ctx, { doctypes: ['bill'] });
