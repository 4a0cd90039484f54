/** Runs in the connector sandbox: the generic Holder Kit connector over every doctype it may write (and files). */
import { collectHolderKit } from '../holder-kit/collect-holder-kit.js';
import { kitRunOptions } from '../holder-kit/kit-manifest.js';
import type { ConnectorContext } from '../sdk.js';
import { manifest } from './manifest.js';

export const run = (ctx: ConnectorContext): Promise<void> => collectHolderKit(ctx, kitRunOptions(manifest));
