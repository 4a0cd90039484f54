/**
 * Spaces: which one a request is for (by host name in hosted mode; the default space in embedded
 * mode), creation, and the facts services need about a space (its time zone).
 */
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore, SpaceRecord } from '../../storage/document-store.js';
import { FoyerError } from '../errors.js';

export const DEFAULT_SPACE = 'default';
const SPACE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface SpaceServiceDeps {
  store: DocumentStore;
  clock: Clock;
  mode: 'embedded' | 'hosted';
  timeZone: string;
}

export type SpaceService = ReturnType<typeof createSpaceService>;

/** Lower case, port and trailing dot removed. */
export function normaliseHost(hostHeader: string | undefined): string {
  return (hostHeader ?? '').trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export function createSpaceService(deps: SpaceServiceDeps) {
  const { store, clock, mode } = deps;
  // Time zones never change after creation, so they can be cached for the life of the process.
  const timeZones = new Map<string, string>();
  // Host names are looked up on every request; a short cache keeps that off the hot path while
  // a space created or removed by another process is seen within seconds.
  const byHost = new Map<string, { space: string | null; until: number }>();
  const HOST_CACHE_MS = 5_000;

  async function create(id: string, hosts: string[] = [], timeZone = deps.timeZone): Promise<SpaceRecord> {
    if (!SPACE_ID.test(id)) {
      throw new FoyerError(
        'invalid_name',
        'A space id is 1 to 63 lower-case letters, digits and dashes, not starting with a dash.',
      );
    }
    const normalised = hosts.map(normaliseHost);
    for (const h of normalised) {
      if (!HOST.test(h)) throw new FoyerError('invalid_name', `"${h}" is not a valid host name.`);
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      throw new FoyerError('validation_failed', `"${timeZone}" is not an IANA time zone.`);
    }
    const space: SpaceRecord = { id, hosts: normalised, timeZone, createdAt: new Date(clock.now()).toISOString() };
    await store.createSpace(space);
    byHost.clear();
    return space;
  }

  return {
    create,

    /** Embedded mode: makes sure the default space exists. */
    async ensureDefault(): Promise<SpaceRecord> {
      return (await store.getSpace(DEFAULT_SPACE)) ?? create(DEFAULT_SPACE);
    },

    async resolve(hostHeader: string | undefined): Promise<string> {
      const host = normaliseHost(hostHeader);
      let hit = byHost.get(host);
      if (!hit || hit.until < clock.now()) {
        const found = host ? await store.findSpaceByHost(host) : null;
        hit = { space: found?.id ?? null, until: clock.now() + HOST_CACHE_MS };
        if (byHost.size > 10_000) byHost.clear();
        byHost.set(host, hit);
      }
      if (hit.space) return hit.space;
      if (mode === 'embedded') return DEFAULT_SPACE;
      throw new FoyerError('space_not_found', 'No space is served at this address.');
    },

    async timeZoneOf(space: string): Promise<string> {
      const cached = timeZones.get(space);
      if (cached) return cached;
      const record = await store.getSpace(space);
      if (!record) throw new FoyerError('space_not_found', `There is no space "${space}".`);
      timeZones.set(space, record.timeZone);
      return record.timeZone;
    },

    /** Forgets what is cached about a space (after its deletion): its host routes and time zone. */
    forget(space: string): void {
      byHost.clear();
      timeZones.delete(space);
    },

    list: () => store.listSpaces(),
    get: (id: string) => store.getSpace(id),
  };
}
