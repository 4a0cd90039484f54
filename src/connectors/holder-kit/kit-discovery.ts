/**
 * The discovery document (`/.well-known/holder-kit`, docs/holder-kit.md) as the connector reads
 * it: only the members it uses, checked by hand (the connector is bundled into a sandbox; no
 * schema library). Anything missing or of the wrong type, or a major version other than 1, is
 * `holder_format_changed`: the connector would otherwise guess.
 */
import { ConnectorError } from '../sdk.js';

export interface KitDoctype {
  name: string;
  schemaVersion: number;
  schemaId: string;
  /** Absolute URL of `GET /v1/data/{doctype}`. */
  endpoint: string;
}

export interface KitDiscovery {
  kitVersion: string;
  holderName: string;
  doctypes: KitDoctype[];
  maxPageSize: number;
  /** `endpoints.files`, a URL template with `{id}`; null when the holder serves no files. */
  files: string | null;
}

/** Where a file the items list is served. */
export const fileUrl = (template: string, id: string): string => template.replace('{id}', encodeURIComponent(id));

/** Where discovery is: at the root of the API's host (RFC 8615). */
export const discoveryUrl = (api: string): string => `${new URL(api).origin}/.well-known/holder-kit`;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isHttpUrl = (v: unknown): v is string => {
  if (typeof v !== 'string') return false;
  try {
    const protocol = new URL(v).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};
const positiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

export function readDiscovery(body: unknown): KitDiscovery {
  const wrong = (what: string) =>
    new ConnectorError('holder_format_changed', `The holder's discovery document ${what}.`);
  if (!isObject(body)) throw wrong('is not a JSON object');
  const { kitVersion, holder, doctypes, paging, endpoints } = body;
  if (typeof kitVersion !== 'string' || !/^\d+\.\d+$/.test(kitVersion)) throw wrong('has no kitVersion');
  if (!kitVersion.startsWith('1.'))
    throw wrong(`speaks Holder Kit ${kitVersion.slice(0, 20)}; this connector reads 1.x`);
  if (!isObject(holder) || typeof holder.name !== 'string' || holder.name === '') throw wrong('names no holder');
  if (!isObject(paging) || !positiveInt(paging.maxPageSize)) throw wrong('has no paging.maxPageSize');
  if (!Array.isArray(doctypes)) throw wrong('lists no doctypes');
  const list = doctypes.map((d: unknown, i): KitDoctype => {
    if (
      !isObject(d) ||
      typeof d.name !== 'string' ||
      d.name === '' ||
      !positiveInt(d.schemaVersion) ||
      typeof d.schemaId !== 'string' ||
      !isHttpUrl(d.endpoint)
    ) {
      throw wrong(`has a doctype (number ${i + 1}) without name, schemaVersion, schemaId or endpoint`);
    }
    return { name: d.name, schemaVersion: d.schemaVersion, schemaId: d.schemaId, endpoint: d.endpoint };
  });
  const files = isObject(endpoints) ? endpoints.files : undefined;
  if (
    files !== undefined &&
    (typeof files !== 'string' || !files.includes('{id}') || !isHttpUrl(fileUrl(files, 'x')))
  ) {
    throw wrong('has a files endpoint that is not a URL template with {id}');
  }
  return {
    kitVersion,
    holderName: holder.name,
    doctypes: list,
    maxPageSize: paging.maxPageSize,
    files: files ?? null,
  };
}
