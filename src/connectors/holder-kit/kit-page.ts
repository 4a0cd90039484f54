/**
 * One page of `GET /v1/data/{doctype}` as the connector reads it: `items` with a natural `key`, an
 * `updatedAt` instant with its zone and a `data` object, and `next` (null at the end). Anything
 * else is `holder_format_changed`, named with the doctype and the item, before anything of the
 * page is written. An item's `files`, when present, list an `id` each, with an optional `name`
 * and `contentType`. Whether `data` fits the catalog is the runtime's check, on write.
 */
import { ConnectorError } from '../sdk.js';

export interface KitItem {
  key: string;
  /** As the holder wrote it: passed back as `since`. */
  updatedAt: string;
  /** Epoch ms of `updatedAt`, for comparing. */
  updatedMs: number;
  data: Record<string, unknown>;
  /** The files that go with it (a bill's PDF), when it has some. */
  files?: KitFile[];
}

/** A file an item lists, served at discovery's `files` endpoint. */
export interface KitFile {
  id: string;
  name?: string;
  contentType?: string;
}

export interface KitPage {
  items: KitItem[];
  next: string | null;
}

/** The longest natural key the runtime takes (`ctx.upsert`). */
const MAX_KEY = 512;
/** A file id is a natural key too (`ctx.file`), and one segment of a URL. */
const MAX_FILE_ID = 200;
/** RFC 3339 with a zone, as the Kit requires: a zone-less or local format is a change of format. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function readPage(body: unknown, doctype: string): KitPage {
  const wrong = (what: string) => new ConnectorError('holder_format_changed', `A page of ${doctype} ${what}.`);
  if (!isObject(body) || !Array.isArray(body.items)) throw wrong('has no items list');
  const { next } = body;
  if (next !== null && (typeof next !== 'string' || next === '')) throw wrong('has no next (a cursor or null)');
  const items = body.items.map((item: unknown, i): KitItem => {
    const at = `item ${i + 1}`;
    if (!isObject(item)) throw wrong(`has an ${at} that is not an object`);
    const { key, updatedAt, data } = item;
    if (typeof key !== 'string' || key === '' || key.length > MAX_KEY) throw wrong(`has an ${at} without a key`);
    const updatedMs = typeof updatedAt === 'string' && INSTANT.test(updatedAt) ? Date.parse(updatedAt) : NaN;
    if (!Number.isFinite(updatedMs)) {
      throw wrong(`has an ${at} (key ${key.slice(0, 80)}) whose updatedAt is not an RFC 3339 instant`);
    }
    if (!isObject(data)) throw wrong(`has an ${at} (key ${key.slice(0, 80)}) without data`);
    const files = readFiles(item.files, () =>
      wrong(`has an ${at} (key ${key.slice(0, 80)}) with a malformed files list`),
    );
    return { key, updatedAt: updatedAt as string, updatedMs, data, ...(files.length > 0 ? { files } : {}) };
  });
  return { items, next };
}

const optionalText = (v: unknown, max: number) =>
  v === undefined || (typeof v === 'string' && v !== '' && v.length <= max);

function readFiles(value: unknown, wrong: () => ConnectorError): KitFile[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw wrong();
  return value.map((f: unknown): KitFile => {
    if (!isObject(f) || typeof f.id !== 'string' || f.id === '' || f.id.length > MAX_FILE_ID) throw wrong();
    if (!optionalText(f.name, 255) || !optionalText(f.contentType, 200)) throw wrong();
    return {
      id: f.id,
      ...(f.name !== undefined ? { name: f.name as string } : {}),
      ...(f.contentType !== undefined ? { contentType: f.contentType as string } : {}),
    };
  });
}
