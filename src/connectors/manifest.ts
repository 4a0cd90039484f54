/**
 * A connector's manifest: who it collects from, what it writes, how it logs in, when it runs,
 * where it may connect and within which limits, and why (the grant's consent text is rendered from
 * it). Checked with zod when the registry is built; docs/connectors.md documents every field.
 */
import { z } from 'zod';
import type { GrantTerms } from '../core/grants/grant.js';
import { addIsoDuration, isIsoDuration } from '../core/oauth/iso-duration.js';
import { purposeOf } from '../core/grants/purposes.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const bilingual = z.object({ en: text(500), fr: text(500) }).strict();
const httpUrl = z.url({ protocol: /^https?$/ });
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM');

/** `host` or `host:port`, lower case, no wildcard: what `ctx.fetch` may reach. */
export const hostName = z
  .string()
  .regex(
    /^(?=.{1,253}(:|$))[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/,
    'a host name in lower case, with an optional :port',
  );

const loginField = z
  .object({
    /** The value's name in `ctx.credentials()`, e.g. `username`. */
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/),
    label: bilingual,
    /** Hidden while typed, never shown again. */
    secret: z.boolean().default(false),
  })
  .strict();

export const connectorManifestSchema = z
  .object({
    /** Stable id, e.g. `enedis`: the grantee id of its grants and the path of its routes. */
    id: z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes'),
    name: text(100),
    /** Semantic version of the connector. */
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.2.0'),
    description: bilingual.optional(),
    holder: z.object({ name: text(100), url: httpUrl }).strict(),
    /** Base URL of the holder's API; an installation may move it to another origin (a simulated holder). */
    api: httpUrl,
    /**
     * The doctypes it writes, with the verbs it needs (`create` for series); `foyer.file` when it
     * collects files (`ctx.file`): `create`, and `update` for contents the holder replaces.
     */
    doctypes: z
      .array(
        z
          .object({
            doctype: text(100),
            verbs: z.array(z.enum(['create', 'update'])).min(1),
            reason: bilingual.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(50),
    auth: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('login'), fields: z.array(loginField).min(1).max(8) }).strict(),
      z
        .object({
          kind: z.literal('oauth'),
          /** The holder's authorization endpoint: the person logs in and consents there (code + PKCE). */
          authorizationUrl: httpUrl.optional(),
          tokenUrl: httpUrl.optional(),
          /**
           * A Holder Kit discovery path (`/.well-known/holder-kit`) on the API's origin: the endpoints
           * are read there when the person connects, and the scopes asked are those of `scopes` the
           * holder offers among its doctypes. Takes the place of the two URLs.
           */
          discovery: z
            .string()
            .regex(/^\/[A-Za-z0-9._~/-]{0,200}$/, 'a path like /.well-known/holder-kit')
            .optional(),
          clientId: text(200),
          scopes: z.array(text(200)).max(50).default([]),
        })
        .strict()
        .refine((a) => a.discovery !== undefined || (a.authorizationUrl && a.tokenUrl), {
          message: 'authorizationUrl and tokenUrl are needed without discovery',
        }),
      /** The holder's own consent flow (a PSD2 consent...), written by the connector: connection-flow.ts. */
      z.object({ kind: z.literal('redirect') }).strict(),
    ]),
    schedule: z
      .object({
        frequency: z.enum(['hourly', 'daily', 'weekly']),
        /** Preferred local window (the space's time zone), e.g. after the holder's nightly update. */
        window: z.object({ start: time, end: time }).strict().optional(),
      })
      .strict(),
    /** Every host `ctx.fetch` may reach; must include the API's and the OAuth endpoints'. */
    hosts: z.array(hostName).min(1).max(20),
    limits: z
      .object({
        timeSeconds: z.number().int().min(1).max(3600).default(300),
        memoryMb: z.number().int().min(16).max(1024).default(128),
        /** Documents plus points one run may write (a run holds them until it commits). */
        maxRecords: z.number().int().min(1).max(5_000_000).default(1_000_000),
      })
      .strict()
      .default({ timeSeconds: 300, memoryMb: 128, maxRecords: 1_000_000 }),
    purpose: z.object({ code: text(64), text: bilingual }).strict(),
    /** How long the connector keeps what it derives (ISO 8601 duration); it keeps nothing outside the space. */
    retention: z.string().refine(isIsoDuration, 'an ISO 8601 duration, e.g. P1Y'),
    /** How long a consent lasts before it must be renewed. */
    consentValidity: z.string().refine(isIsoDuration, 'an ISO 8601 duration, e.g. P1Y').default('P1Y'),
    /** On withdrawal, what it collected is kept (default: it is the person's own data) or deleted. */
    onWithdraw: z.enum(['keep', 'delete']).default('keep'),
  })
  .strict()
  .superRefine((m, issues) => {
    const hosts = new Set(m.hosts);
    const urls: [string, string][] = [['api', m.api]];
    if (m.auth.kind === 'oauth') {
      if (m.auth.authorizationUrl) urls.push(['auth.authorizationUrl', m.auth.authorizationUrl]);
      if (m.auth.tokenUrl) urls.push(['auth.tokenUrl', m.auth.tokenUrl]);
    }
    for (const [path, url] of urls) {
      const host = new URL(url).host;
      if (!hosts.has(host)) issues.addIssue({ code: 'custom', path: [path], message: `${host} is not in hosts` });
    }
    const seen = new Set<string>();
    for (const [i, d] of m.doctypes.entries()) {
      if (seen.has(d.doctype))
        issues.addIssue({ code: 'custom', path: ['doctypes', i], message: `${d.doctype} is listed twice` });
      seen.add(d.doctype);
    }
    if (!purposeOf(m.purpose.code)) {
      issues.addIssue({ code: 'custom', path: ['purpose', 'code'], message: 'not a purpose of the list' });
    }
  });

export type ConnectorManifest = z.output<typeof connectorManifestSchema>;
export type ConnectorManifestInput = z.input<typeof connectorManifestSchema>;

/** The manifest checked, defaults filled; throws an Error naming every problem. */
export function parseManifest(value: unknown): ConnectorManifest {
  const result = connectorManifestSchema.safeParse(value);
  if (result.success) return result.data;
  const id = (value as { id?: unknown } | null)?.id;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`);
  throw new Error(`Connector manifest ${typeof id === 'string' ? id : '?'} is invalid: ${problems.join('; ')}`);
}

/**
 * The manifest as one installation sees it: with `origin` (a simulated or test holder), every URL
 * on the API's origin moves there, and that origin's host replaces the API's in the allowed hosts.
 */
export function atOrigin(manifest: ConnectorManifest, origin: string | null): ConnectorManifest {
  if (origin === null) return manifest;
  const from = new URL(manifest.api).origin;
  const move = (url: string) => (new URL(url).origin === from ? origin + url.slice(from.length) : url);
  const oldHost = new URL(manifest.api).host;
  const newHost = new URL(origin).host;
  return {
    ...manifest,
    api: move(manifest.api),
    auth:
      manifest.auth.kind === 'oauth'
        ? {
            ...manifest.auth,
            ...(manifest.auth.authorizationUrl ? { authorizationUrl: move(manifest.auth.authorizationUrl) } : {}),
            ...(manifest.auth.tokenUrl ? { tokenUrl: move(manifest.auth.tokenUrl) } : {}),
          }
        : manifest.auth,
    hosts: [...new Set(manifest.hosts.map((h) => (h === oldHost ? newHost : h)))],
  };
}

/** The grant a connector asks for: its doctypes and verbs, purpose and retention, data staying in the space. */
export function grantTermsOf(manifest: ConnectorManifest, now: number): GrantTerms {
  return {
    scopes: manifest.doctypes.map((d) => ({
      doctype: d.doctype,
      verbs: [...d.verbs],
      ...(d.reason ? { reason: d.reason } : {}),
    })),
    purpose: manifest.purpose,
    storage: { kind: 'space' },
    retention: manifest.retention,
    validUntil: new Date(addIsoDuration(now, manifest.consentValidity)).toISOString(),
    onWithdraw: manifest.onWithdraw,
  };
}
