/** The options with their defaults applied, checked once when the Kit is created. */
import { z } from 'zod';
import type { Clock } from '../platform/clock.js';
import { createMemoryHolderKitStore, type HolderKitStore } from './holder-kit-store.js';
import type {
  HolderIdentity,
  HolderKitClient,
  HolderKitDataset,
  HolderKitFiles,
  HolderKitOptions,
} from './holder-kit-options.js';
import { createCursorSigner, type CursorSigner } from './paging-cursor.js';

export const KIT_VERSION = '1.0';

export interface KitSettings {
  holder: HolderIdentity;
  clock: Clock;
  authenticate: HolderKitOptions['authenticate'];
  secondFactor: HolderKitOptions['secondFactor'];
  datasets: Map<string, HolderKitDataset>;
  schemaIds: Map<string, string>;
  clients: Map<string, HolderKitClient>;
  files: HolderKitFiles | undefined;
  store: HolderKitStore;
  cursors: CursorSigner;
  publicUrl: string | undefined;
  maxPageSize: number;
  defaultPageSize: number;
  requestsPerMinute: number;
  /** Seconds. */
  lifetimes: { access: number; refresh: number; consent: number; code: number; visit: number };
  onError: (error: unknown) => void;
}

const positive = z.number().int().positive();
const doctypeName = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'a dotted lower-case doctype name');
const absoluteUrl = z.url({ protocol: /^https?$/ });

const optionsSchema = z.object({
  holder: z.object({ id: z.string().min(1).max(100), name: z.string().min(1).max(200) }).loose(),
  datasets: z
    .array(z.object({ doctype: doctypeName, schemaVersion: positive, title: z.string().min(1) }).loose())
    .min(1),
  clients: z.array(
    z.object({
      clientId: z.string().regex(/^[\x21-\x7e]{1,200}$/),
      name: z.string().min(1),
      purpose: z.string().min(1),
      redirectUris: z.array(absoluteUrl).min(1),
    }),
  ),
  publicUrl: absoluteUrl.optional(),
  paging: z.object({ maxPageSize: positive.max(10_000).optional(), defaultPageSize: positive.optional() }).optional(),
  rateLimit: z.object({ requestsPerMinute: positive }).optional(),
  lifetimes: z.record(z.string(), positive).optional(),
});

export function resolveSettings(options: HolderKitOptions): KitSettings {
  const checked = optionsSchema.safeParse(options);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new Error(`Invalid Holder Kit options at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const datasets = new Map(options.datasets.map((d) => [d.doctype, d]));
  if (datasets.size !== options.datasets.length)
    throw new Error('Invalid Holder Kit options: a doctype is listed twice');
  const maxPageSize = options.paging?.maxPageSize ?? 500;
  const defaultPageSize = Math.min(options.paging?.defaultPageSize ?? 100, maxPageSize);
  const l = options.lifetimes ?? {};
  return {
    holder: options.holder,
    clock: options.clock,
    authenticate: options.authenticate,
    secondFactor: options.secondFactor,
    datasets,
    schemaIds: new Map(
      options.datasets.map((d) => [d.doctype, d.schemaId ?? `urn:foyer:doctype:${d.doctype}:${d.schemaVersion}`]),
    ),
    clients: new Map(options.clients.map((c) => [c.clientId, c])),
    files: options.files,
    store: options.store ?? createMemoryHolderKitStore({ clock: options.clock }),
    cursors: createCursorSigner(options.cursorSecret),
    publicUrl: options.publicUrl?.replace(/\/+$/, ''),
    maxPageSize,
    defaultPageSize,
    requestsPerMinute: options.rateLimit?.requestsPerMinute ?? 600,
    lifetimes: {
      access: l.accessTokenSeconds ?? 600,
      refresh: l.refreshTokenSeconds ?? 90 * 86_400,
      consent: l.consentSeconds ?? 365 * 86_400,
      code: l.codeSeconds ?? 60,
      visit: l.visitSeconds ?? 900,
    },
    onError: options.onError ?? ((e) => console.error('Holder Kit: unexpected error', e)),
  };
}

/** The base URL discovery announces: the configured one, else the request's origin. */
export function baseUrlOf(settings: KitSettings, requestUrl: string): string {
  return settings.publicUrl ?? new URL(requestUrl).origin;
}

/** RFC 8252 §7.3: a loopback redirect URI matches a registered one on any port. */
export function redirectUriAllowed(client: HolderKitClient, redirectUri: string): boolean {
  if (client.redirectUris.includes(redirectUri) || client.acceptsRedirectUri?.(redirectUri) === true) return true;
  let asked: URL;
  try {
    asked = new URL(redirectUri);
  } catch {
    return false;
  }
  if (asked.protocol !== 'http:' || !['127.0.0.1', '[::1]'].includes(asked.hostname)) return false;
  return client.redirectUris.some((registered) => {
    const r = new URL(registered);
    return (
      r.protocol === 'http:' &&
      r.hostname === asked.hostname &&
      r.pathname === asked.pathname &&
      r.search === asked.search &&
      asked.hash === ''
    );
  });
}
