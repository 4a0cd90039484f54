/**
 * How long each doctype is kept: the catalog's default, or the owner's own choice. The owner's
 * choices are one internal document of the space (`foyer.settings`, id `retention`), so they
 * travel with the space's data; reading and changing them are the owner's acts, in the ledger.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Doctype } from '../catalog/doctype.js';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { FoyerError, isFoyerError } from '../errors.js';
import type { Gate } from '../gate.js';
import type { RequestContext } from '../principal.js';
import { internalRecords } from '../internal-records.js';
import { checkRetention } from './retention-period.js';

/** Internal documents of Foyer's own settings for a space. */
export const SETTINGS_DOCTYPE = 'foyer.settings';
const OVERRIDES_ID = 'retention';

export interface DoctypeRetention {
  doctype: string;
  kind: Doctype['kind'];
  /** The catalog's default (ISO 8601 duration). */
  default: string;
  /** The owner's choice, or null for the default. */
  override: string | null;
  /** What the retention job applies: the override, else the default. */
  effective: string;
  /**
   * What it counts from: the document field named by the doctype's `retentionField`,
   * `_meta.updatedAt` (the last update) without one, or a series' time field (each point's time).
   */
  countsFrom: string;
}

export interface RetentionSettingsDeps {
  store: DocumentStore;
  catalog: Catalog;
  gate: Gate;
  clock: Clock;
}

export type RetentionSettings = ReturnType<typeof createRetentionSettings>;

export function countsFrom(doctype: Doctype): string {
  if (doctype.series) return doctype.series.time.field;
  return doctype.retentionField ?? '_meta.updatedAt';
}

export function createRetentionSettings(deps: RetentionSettingsDeps) {
  const { store, catalog, gate, clock } = deps;

  const records = internalRecords<{ overrides: Record<string, string> }>(store, SETTINGS_DOCTYPE);

  function entry(doctype: Doctype, overrides: Record<string, string>): DoctypeRetention {
    const override = Object.hasOwn(overrides, doctype.name) ? overrides[doctype.name]! : null;
    return {
      doctype: doctype.name,
      kind: doctype.kind,
      default: doctype.retention,
      override,
      effective: override ?? doctype.retention,
      countsFrom: countsFrom(doctype),
    };
  }

  /** Every catalog doctype with its retention in this space (overrides of doctypes gone from the catalog are ignored). */
  async function effective(space: string): Promise<DoctypeRetention[]> {
    const overrides = (await records.get(space, OVERRIDES_ID))?.data.overrides ?? {};
    return catalog.list().map((d) => entry(d, overrides));
  }

  return {
    effective,

    /** The owner's view: every doctype with its default, override and effective retention. */
    async list(ctx: RequestContext): Promise<DoctypeRetention[]> {
      const permit = await gate(ctx, { verb: 'read', doctype: SETTINGS_DOCTYPE });
      return permit.track(
        () => effective(permit.space),
        () => ({ count: 1, ids: [OVERRIDES_ID] }),
      );
    },

    /** Sets the owner's retention for one doctype; null goes back to the catalog's default. */
    async set(ctx: RequestContext, name: string, retention: string | null): Promise<DoctypeRetention> {
      const permit = await gate(ctx, { verb: 'update', doctype: SETTINGS_DOCTYPE });
      return permit.track(
        async () => {
          const doctype = catalog.get(name);
          if (!doctype) {
            throw new FoyerError('unknown_doctype', `There is no doctype named "${name}".`, { doctype: name });
          }
          if (retention !== null) checkRetention(retention);
          // Two owner tabs saving at once: read again and retry rather than lose either change.
          for (let attempt = 0; ; attempt++) {
            const current = await records.get(permit.space, OVERRIDES_ID);
            const next = { ...current?.data.overrides };
            if (retention === null) delete next[name];
            else next[name] = retention;
            try {
              const at = new Date(clock.now()).toISOString();
              await records.put(permit.space, OVERRIDES_ID, { overrides: next }, current?.doc ?? null, at);
              return entry(doctype, next);
            } catch (e) {
              if (!isFoyerError(e) || e.code !== 'conflict' || attempt >= 9) throw e;
            }
          }
        },
        () => ({ count: 1, ids: [OVERRIDES_ID] }),
      );
    },
  };
}
