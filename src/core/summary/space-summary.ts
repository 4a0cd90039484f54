/**
 * What the space holds, per source, for the web app's Home: for each source (a connector, an
 * importer, an app, the owner's own writes) the documents per doctype with the period they cover
 * (the doctype's own date field) and the last update; for each series doctype its points and
 * period. One pass over the documents, through the gate: each doctype read is the owner's ledger
 * entry like any other read.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Doctype } from '../catalog/doctype.js';
import type { DocumentMeta } from '../documents/document-meta.js';
import type { Gate } from '../gate.js';
import type { RequestContext } from '../principal.js';
import type { DocumentStore, StoredDocument } from '../../storage/document-store.js';

export interface DoctypeSummary {
  doctype: string;
  count: number;
  /** The earliest and latest value of the doctype's date field (null without one). */
  from: string | null;
  to: string | null;
  lastUpdate: string;
}

export interface SourceSummary {
  /** `connector`, `import`, `app`, `owner`, or another grantee kind. */
  kind: string;
  /** The connector or app id, the importer; null for the owner's own writes. */
  id: string | null;
  count: number;
  lastUpdate: string;
  doctypes: DoctypeSummary[];
}

export interface SeriesSummary {
  doctype: string;
  points: number;
  /** First and last month holding points (`YYYY-MM`, the space's time zone). */
  from: string | null;
  to: string | null;
}

export interface SpaceSummary {
  sources: SourceSummary[];
  series: SeriesSummary[];
}

const PAGE = 5000;
const ALL_TIME = { from: 0, to: 8_640_000_000_000_000 };

export function createSpaceSummary(deps: {
  store: DocumentStore;
  catalog: Catalog;
  gate: Gate;
  timeZoneOf: (space: string) => Promise<string>;
}) {
  const { store, catalog, gate, timeZoneOf } = deps;

  /**
   * Per space and doctype, the last computed part and the changes-feed position it reflects: a
   * doctype with no change since is not read again (Home is visited far more often than data
   * changes). Per Foyer instance, not module state; bounded by spaces × doctypes.
   */
  const computed = new Map<string, { seq: number; parts: Map<string, SourceSummary> }>();

  /** The doctype's latest position in the changes feed (tombstones included), from `from` on. */
  async function headSeq(space: string, doctype: string, from: number): Promise<number> {
    let seq = from;
    for (;;) {
      const rows = await store.changes(space, doctype, seq, PAGE);
      if (rows.length === 0) return seq;
      seq = rows[rows.length - 1]!.seq;
      if (rows.length < PAGE) return seq;
    }
  }

  async function documentsOf(ctx: RequestContext, doctype: Doctype): Promise<Map<string, SourceSummary>> {
    const permit = await gate(ctx, { verb: 'read', doctype: doctype.name });
    const key = `${permit.space}\n${doctype.name}`;
    const parts = await permit.track(
      async () => {
        const cached = computed.get(key);
        // Read before the scan: anything written during it has a later position, seen next time.
        const head = await headSeq(permit.space, doctype.name, cached?.seq ?? 0);
        if (cached && head === cached.seq) return cached.parts;
        const parts = new Map<string, SourceSummary>();
        let after: { values: []; id: string } | undefined;
        for (;;) {
          const rows: StoredDocument[] = await store.findDocuments(permit.space, doctype.name, {
            selector: null,
            sort: [],
            limit: PAGE,
            ...(after ? { after } : {}),
          });
          for (const row of rows) add(parts, doctype, row);
          if (rows.length < PAGE) break;
          after = { values: [], id: rows[rows.length - 1]!.id };
        }
        computed.set(key, { seq: head, parts });
        return parts;
      },
      (parts) => ({ count: [...parts.values()].reduce((n, p) => n + p.count, 0) }),
    );
    return parts;
  }

  async function seriesOf(ctx: RequestContext, doctype: Doctype, timeZone: string): Promise<SeriesSummary | null> {
    const permit = await gate(ctx, { verb: 'read', doctype: doctype.name });
    const months = await permit.track(
      () => store.aggregatePoints(permit.space, doctype.name, ALL_TIME, 'month', timeZone),
      (rows) => ({ count: rows.reduce((n, r) => n + r.count, 0) }),
    );
    if (months.length === 0) return null;
    return {
      doctype: doctype.name,
      points: months.reduce((n, r) => n + r.count, 0),
      from: months[0]!.key,
      to: months[months.length - 1]!.key,
    };
  }

  return {
    async summary(ctx: RequestContext): Promise<SpaceSummary> {
      const sources = new Map<string, SourceSummary>();
      const series: SeriesSummary[] = [];
      const timeZone = await timeZoneOf(ctx.space);
      // One doctype after another: the store is one SQLite file in embedded mode anyway.
      for (const doctype of catalog.list()) {
        if (doctype.series) {
          const s = await seriesOf(ctx, doctype, timeZone);
          if (s) series.push(s);
        } else {
          for (const [key, part] of await documentsOf(ctx, doctype)) merge(sources, key, part);
        }
      }
      const list = [...sources.values()].sort((a, b) => b.lastUpdate.localeCompare(a.lastUpdate));
      for (const s of list) s.doctypes.sort((a, b) => b.count - a.count || a.doctype.localeCompare(b.doctype));
      return { sources: list, series };
    },
  };
}

export type SpaceSummaryService = ReturnType<typeof createSpaceSummary>;

function sourceKey(meta: DocumentMeta): { kind: string; id: string | null } {
  const by = meta.createdBy;
  if (by.kind === 'owner') return { kind: 'owner', id: null };
  if (by.kind === 'system') return { kind: 'system', id: null };
  if (by.kind === 'import') return { kind: 'import', id: by.importer };
  return { kind: by.kind, id: by.id };
}

/** Adds one doctype's part of a source to the whole (parts stay as cached: copied, not changed). */
function merge(into: Map<string, SourceSummary>, key: string, part: SourceSummary): void {
  const source = into.get(key);
  if (!source) {
    into.set(key, { ...part, doctypes: [...part.doctypes] });
    return;
  }
  source.count += part.count;
  if (part.lastUpdate > source.lastUpdate) source.lastUpdate = part.lastUpdate;
  source.doctypes.push(...part.doctypes);
}

function add(into: Map<string, SourceSummary>, doctype: Doctype, row: StoredDocument): void {
  const meta = JSON.parse(row.meta) as DocumentMeta;
  const { kind, id } = sourceKey(meta);
  const key = `${kind}:${id ?? ''}`;
  let source = into.get(key);
  if (!source) {
    source = { kind, id, count: 0, lastUpdate: meta.updatedAt, doctypes: [] };
    into.set(key, source);
  }
  source.count++;
  if (meta.updatedAt > source.lastUpdate) source.lastUpdate = meta.updatedAt;
  let entry = source.doctypes.find((d) => d.doctype === doctype.name);
  if (!entry) {
    entry = { doctype: doctype.name, count: 0, from: null, to: null, lastUpdate: meta.updatedAt };
    source.doctypes.push(entry);
  }
  entry.count++;
  if (meta.updatedAt > entry.lastUpdate) entry.lastUpdate = meta.updatedAt;
  const field = doctype.retentionField;
  if (field && row.data) {
    let value: unknown = JSON.parse(row.data);
    for (const part of field.split('.')) value = (value as Record<string, unknown> | null)?.[part];
    if (typeof value === 'string') {
      if (entry.from === null || value < entry.from) entry.from = value;
      if (entry.to === null || value > entry.to) entry.to = value;
    }
  }
}
