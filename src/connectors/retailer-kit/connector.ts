/** Runs in the connector sandbox: the generic Holder Kit connector over this manifest's doctypes. */
import { collectHolderKit } from '../holder-kit/collect-holder-kit.js';
import type { ConnectorContext } from '../sdk.js';
import { manifest } from './manifest.js';

export const run = (ctx: ConnectorContext): Promise<void> =>
  collectHolderKit(ctx, { doctypes: manifest.doctypes.map((d) => d.doctype) });
