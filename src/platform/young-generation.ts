/**
 * V8's young generation while a server starts.
 *
 * Starting Foyer allocates about 30 MB of objects that survive a scavenge or two (modules, route
 * schemas, the catalog) and then die. V8 answers a high survival rate by doubling the young
 * generation, up to 2 × 16 MB, and keeps it until its memory reducer runs after ~8 s without
 * traffic: an idle embedded Foyer held 14 MB of empty young generation. Holding the growth while
 * starting keeps it at its initial 1 MB; releasing it at the first request gives V8's usual sizing
 * back for the work that follows (bulk writes need the larger young generation).
 *
 * `--semi-space-growth-factor` is read by V8 each time it grows the space, so it may change while
 * running; `young-generation.test.ts` checks that this Node still behaves so.
 */
import v8 from 'node:v8';

/** V8's default growth factor (`node --v8-options`). */
const V8_DEFAULT_GROWTH = 2;

export function holdYoungGeneration(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

export function releaseYoungGeneration(): void {
  v8.setFlagsFromString(`--semi-space-growth-factor=${V8_DEFAULT_GROWTH}`);
}
