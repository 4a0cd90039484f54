/**
 * An app's manifest (`apps/<id>/manifest.json`): who makes it, what it reads and writes, for which
 * purpose and how long it keeps what it derives (per scope), its web entry, its server-side
 * services and their triggers, and the doctypes it defines. Checked with zod; the doctypes' JSON
 * Schemas are compiled with ajv by `checkAppDoctypes`. docs/apps.md documents every field.
 */
import { z } from 'zod';
import { FoyerError } from '../core/errors.js';
import { isIsoDuration } from '../core/oauth/iso-duration.js';
import { purposeOf } from '../core/grants/purposes.js';

const text = (max: number) => z.string().trim().min(1).max(max);
const bilingual = z.object({ en: text(1000), fr: text(1000) }).strict();
const duration = z.string().refine(isIsoDuration, 'an ISO 8601 duration, e.g. P1Y or P6M');
/** A path inside the app's folder, under `folder/`: no `..`, no absolute path. */
const fileIn = (folder: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${folder}/([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$`),
      `a file under ${folder}/ (no "..")`,
    );

export const APP_ID = /^[a-z][a-z0-9-]{1,39}$/;
/** App-defined doctypes are named `app.<app id>.<name>`: never a catalog name, never another app's. */
export const APP_DOCTYPE_PREFIX = 'app.';
export const appDoctypePrefix = (appId: string) => `${APP_DOCTYPE_PREFIX}${appId}.`;

const scopeSchema = z
  .object({
    doctype: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/, 'a doctype name, e.g. bank.transaction'),
    verbs: z.array(z.enum(['read', 'create', 'update', 'delete'])).min(1),
    /** A code of the controlled list (src/core/grants/purposes.ts); its text is in `purposes`. */
    purpose: z.string().refine((code) => purposeOf(code) !== undefined, 'a purpose code of GET /api/purposes'),
    /** How long the app may keep what it derives from this data (ISO 8601 duration). */
    retention: duration,
    reason: bilingual,
    optional: z.boolean().optional(),
    filter: z.record(z.string(), z.unknown()).optional(),
    fields: z.array(text(200)).min(1).max(100).optional(),
  })
  .strict();

/** Five fields (minute hour day-of-month month day-of-week), numbers, `*`, lists, ranges and steps. */
const cron = z.string().regex(/^\S+ \S+ \S+ \S+ \S+$/, 'a cron schedule of five fields, e.g. "0 6 * * *"');

const triggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('schedule'), cron }).strict(),
  /** Runs after documents of the doctype were created, updated or deleted (debounced). */
  z.object({ kind: z.literal('change'), doctype: text(100) }).strict(),
]);

const serviceSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes'),
    /** The service's code (TypeScript or JavaScript), bundled with esbuild. */
    code: fileIn('services'),
    triggers: z.array(triggerSchema).min(1).max(10),
    /** Limits of one run (defaults 5 s, 32 MiB); Foyer caps them at 60 s and 128 MiB. */
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
    memoryMb: z.number().int().min(8).max(128).optional(),
  })
  .strict();

const doctypeSchema = z
  .object({
    name: z.string().regex(/^app\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'app.<app id>.<name>'),
    title: bilingual,
    description: text(4000),
    /** JSON Schema (draft 2020-12) of one document. */
    schema: z.record(z.string(), z.unknown()),
    retention: duration,
    sensitivity: z.enum(['low', 'medium', 'high', 'special']),
  })
  .strict();

export const appManifestSchema = z
  .object({
    id: z.string().regex(APP_ID, 'lower-case letters, digits and dashes, 2 to 40, starting with a letter'),
    name: text(100),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'a version like 1.2.0'),
    publisher: text(100),
    description: bilingual,
    /** The app's own words for each purpose code its scopes name. */
    purposes: z.record(z.string(), bilingual),
    scopes: z.array(scopeSchema).min(1).max(50),
    /** How long a consent lasts before the person is asked to renew it. */
    validity: duration.default('P1Y'),
    /** At uninstall, what the app created is deleted unless the person keeps it; this is the default offered. */
    onUninstall: z.enum(['delete', 'keep']).default('delete'),
    web: z
      .object({ html: fileIn('web'), script: fileIn('web') })
      .strict()
      .optional(),
    services: z.array(serviceSchema).max(10).default([]),
    doctypes: z.array(doctypeSchema).max(20).default([]),
  })
  .strict()
  .superRefine((m, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const own = new Set(m.doctypes.map((d) => d.name));
    m.doctypes.forEach((d, i) => {
      if (!d.name.startsWith(appDoctypePrefix(m.id))) {
        issue(['doctypes', i, 'name'], `an app's doctypes are named ${appDoctypePrefix(m.id)}<name>`);
      }
      if (m.doctypes.findIndex((x) => x.name === d.name) !== i) issue(['doctypes', i, 'name'], 'defined twice');
    });
    const used = new Set<string>();
    m.scopes.forEach((s, i) => {
      if (m.scopes.findIndex((x) => x.doctype === s.doctype) !== i) {
        issue(['scopes', i, 'doctype'], `"${s.doctype}" appears in two scopes; merge them`);
      }
      if (s.doctype.startsWith(APP_DOCTYPE_PREFIX) && !own.has(s.doctype)) {
        issue(['scopes', i, 'doctype'], `"${s.doctype}" is another app's doctype, or one this app does not define`);
      }
      used.add(s.purpose);
      if (!m.purposes[s.purpose]) issue(['purposes'], `give the text of purpose "${s.purpose}" (scope ${i})`);
    });
    for (const code of Object.keys(m.purposes)) {
      if (!used.has(code)) issue(['purposes', code], `no scope names purpose "${code}"`);
    }
    for (const name of own) {
      if (!m.scopes.some((s) => s.doctype === name)) {
        issue(['doctypes'], `the app defines ${name} but no scope asks for it`);
      }
    }
    m.services.forEach((service, i) => {
      if (m.services.findIndex((x) => x.name === service.name) !== i) issue(['services', i, 'name'], 'defined twice');
      service.triggers.forEach((t, j) => {
        if (t.kind === 'change' && !m.scopes.some((s) => s.doctype === t.doctype && s.verbs.includes('read'))) {
          issue(['services', i, 'triggers', j, 'doctype'], `the app must read ${t.doctype} to watch its changes`);
        }
        if (t.kind === 'schedule') {
          const problem = cronProblem(t.cron);
          if (problem) issue(['services', i, 'triggers', j, 'cron'], problem);
        }
      });
    });
  });

export type AppManifest = z.infer<typeof appManifestSchema>;
export type AppScope = AppManifest['scopes'][number];
export type AppService = AppManifest['services'][number];
export type AppTrigger = AppService['triggers'][number];
export type AppDoctype = AppManifest['doctypes'][number];

/** The manifest, or `validation_failed` listing every problem with its JSON path. */
export function parseAppManifest(value: unknown, where = 'manifest.json'): AppManifest {
  const result = appManifestSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const path = `/${i.path.map(String).join('/')}`;
    return { path, rule: i.code, message: `${path}: ${i.message}` };
  });
  throw new FoyerError(
    'validation_failed',
    `${where} is not a valid app manifest: ${issues.map((i) => i.message).join('; ')}`,
    { issues },
  );
}

const CRON_RANGES: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];
const CRON_NAMES = ['minute', 'hour', 'day of month', 'month', 'day of week'];

/** Why a five-field cron expression is wrong, or null. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return 'a cron schedule has five fields';
  for (let i = 0; i < 5; i++) {
    const [min, max] = CRON_RANGES[i]!;
    for (const part of fields[i]!.split(',')) {
      const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (!m) return `the ${CRON_NAMES[i]} field "${fields[i]}" is not a number, *, range, list or step`;
      const values = [m[2], m[3]].filter((v): v is string => v !== undefined).map(Number);
      if (values.some((v) => v < min || v > max)) return `the ${CRON_NAMES[i]} field goes from ${min} to ${max}`;
      if (m[4] !== undefined && Number(m[4]) === 0) return `a step of 0 in the ${CRON_NAMES[i]} field`;
    }
  }
  return null;
}

/** The manifest's JSON Schema, published as docs/app-manifest.schema.json (cross-field rules are in docs/apps.md). */
export function appManifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(appManifestSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'urn:foyer:app-manifest:1',
    title: 'Foyer app manifest',
  };
}
