/**
 * Configuration: command-line flags override environment variables, which override defaults.
 * The README's configuration table lists every setting (a test keeps the two in step).
 */
import path from 'node:path';
import { z } from 'zod';
import { FoyerError } from '../core/errors.js';
import { SQLITE_CIPHERS } from '../storage/sqlite/sqlite-cipher.js';

export const configSchema = z.object({
  mode: z.enum(['embedded', 'hosted']),
  dataDir: z.string().min(1),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  /** `postgres://...` selects PostgreSQL; empty selects SQLite under dataDir. */
  databaseUrl: z.string().optional(),
  /** `disk` (under dataDir/files) or `s3://bucket` (with the s3 settings below). */
  files: z
    .string()
    .regex(/^(disk|s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9._/-]*)?)$/, 'disk or s3://bucket[/prefix]'),
  s3Endpoint: z.string().url().optional(),
  s3Region: z.string().default('us-east-1'),
  s3AccessKeyId: z.string().optional(),
  s3SecretAccessKey: z.string().optional(),
  /** Time zone of spaces created by this process (series buckets are computed in it). */
  timeZone: z.string().min(1),
  /** URL people use to reach Foyer; decides the Secure cookie flag and the printed links. */
  publicUrl: z.string().url().optional(),
  /** Trust X-Forwarded-For (behind a reverse proxy) for client addresses. */
  trustProxy: z.boolean(),
  /** Largest file upload, in bytes. */
  maxFileBytes: z.coerce.number().int().positive(),
  /** Master key ring as text: base64 keys, comma-separated, current first (docs/security.md). */
  masterKey: z.string().optional(),
  /** File holding the master key ring, one key per line, current first. */
  masterKeyFile: z.string().optional(),
  /** Encrypt file contents at rest under per-space data keys. */
  encryptFiles: z.boolean(),
  /** Cipher of the SQLite space files (storage/sqlite/sqlite-cipher.ts); `none`: new spaces in clear. */
  databaseCipher: z.enum([...SQLITE_CIPHERS, 'none']),
  logLevel: z.enum(['silent', 'error', 'warn', 'info', 'debug']),
});

export type FoyerConfig = z.infer<typeof configSchema>;

export interface ConfigSetting {
  key: keyof FoyerConfig;
  env: string;
  flag?: string;
  default?: string;
  description: string;
}

/** The single list behind parsing, `foyer --help` and the README's configuration table (config.test.ts checks it). */
export const settings: ConfigSetting[] = [
  {
    key: 'mode',
    env: 'FOYER_MODE',
    flag: '--mode',
    default: 'embedded',
    description:
      '`embedded`: one default space, any host name. `hosted`: many spaces, each reached by its own host name.',
  },
  {
    key: 'dataDir',
    env: 'FOYER_DATA_DIR',
    flag: '--data-dir',
    default: './data',
    description: 'Folder for SQLite databases and files.',
  },
  { key: 'port', env: 'FOYER_PORT', flag: '--port', default: '8080', description: 'TCP port of the HTTP server.' },
  {
    key: 'host',
    env: 'FOYER_HOST',
    flag: '--host',
    default: '127.0.0.1',
    description: 'Address to listen on (`0.0.0.0` for every interface).',
  },
  {
    key: 'databaseUrl',
    env: 'FOYER_DATABASE_URL',
    flag: '--database-url',
    description: 'PostgreSQL connection URL; when unset, SQLite files under the data folder.',
  },
  {
    key: 'files',
    env: 'FOYER_FILES',
    flag: '--files',
    default: 'disk',
    description: '`disk` (under the data folder) or `s3://bucket[/prefix]`.',
  },
  { key: 's3Endpoint', env: 'FOYER_S3_ENDPOINT', description: 'S3-compatible endpoint URL (with `--files s3://...`).' },
  { key: 's3Region', env: 'FOYER_S3_REGION', default: 'us-east-1', description: 'S3 region.' },
  { key: 's3AccessKeyId', env: 'FOYER_S3_ACCESS_KEY_ID', description: 'S3 access key id.' },
  { key: 's3SecretAccessKey', env: 'FOYER_S3_SECRET_ACCESS_KEY', description: 'S3 secret key.' },
  {
    key: 'timeZone',
    env: 'FOYER_TIME_ZONE',
    flag: '--time-zone',
    default: 'Europe/Paris',
    description: 'IANA time zone of new spaces (day and month buckets of time series).',
  },
  {
    key: 'publicUrl',
    env: 'FOYER_PUBLIC_URL',
    flag: '--public-url',
    description: 'The URL people use (default `http://localhost:<port>`); `https://` turns on Secure cookies.',
  },
  {
    key: 'trustProxy',
    env: 'FOYER_TRUST_PROXY',
    default: 'false',
    description: 'Take client addresses from X-Forwarded-For (only behind a proxy you run).',
  },
  {
    key: 'maxFileBytes',
    env: 'FOYER_MAX_FILE_BYTES',
    default: String(2 * 1024 ** 3),
    description: 'Largest file upload, in bytes (default 2 GiB).',
  },
  {
    key: 'masterKey',
    env: 'FOYER_MASTER_KEY',
    description:
      "Master key wrapping every space's data keys: base64 of 32 bytes (`foyer keys generate`); during a rotation, several, comma-separated, current first. See docs/security.md.",
  },
  {
    key: 'masterKeyFile',
    env: 'FOYER_MASTER_KEY_FILE',
    description:
      'File holding the master key(s), one per line, current first. With neither setting: `<data>/keys/master.key`, made on first start (hosted mode with PostgreSQL or S3 needs one of them).',
  },
  {
    key: 'encryptFiles',
    env: 'FOYER_ENCRYPT_FILES',
    default: 'true',
    description: 'Encrypt file contents at rest under per-space keys (AES-256-GCM); `false` stores them in clear.',
  },
  {
    key: 'databaseCipher',
    env: 'FOYER_DATABASE_CIPHER',
    flag: '--database-cipher',
    default: 'aegis',
    description:
      'Encryption at rest of the SQLite space databases (documents, series, ledger, indexes), under a key per space wrapped under the master key: `aegis` (AEGIS-256), `chacha20` (ChaCha20-Poly1305, faster on CPUs without AES instructions such as the Raspberry Pi 4), `sqlcipher` (SQLCipher 4), or `none` (new spaces in clear). Spaces keep the cipher they were made with.',
  },
  {
    key: 'logLevel',
    env: 'FOYER_LOG_LEVEL',
    flag: '--log-level',
    default: 'info',
    description: '`silent`, `error`, `warn`, `info` or `debug`.',
  },
];

export function loadConfig(env: NodeJS.ProcessEnv, flags: Record<string, string | undefined> = {}): FoyerConfig {
  const raw: Record<string, unknown> = {};
  for (const s of settings) {
    const value = (s.flag ? flags[s.flag] : undefined) ?? env[s.env] ?? s.default;
    if (value !== undefined && value !== '') raw[s.key] = value;
  }
  raw.trustProxy = raw.trustProxy === 'true' || raw.trustProxy === '1';
  // Anything but true/1/false/0 is left as text, for the schema to name the setting.
  if (['true', '1'].includes(raw.encryptFiles as string)) raw.encryptFiles = true;
  else if (['false', '0'].includes(raw.encryptFiles as string)) raw.encryptFiles = false;
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const s = settings.find((x) => x.key === i.path[0]);
      return `${s ? (s.flag ?? s.env) : String(i.path[0])}: ${i.message}`;
    });
    throw new FoyerError('bad_request', `Invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  config.dataDir = path.resolve(config.dataDir);
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new FoyerError('bad_request', 'Invalid configuration: --database-url must start with postgres://');
  }
  if (config.files.startsWith('s3://') && !config.s3Endpoint) {
    throw new FoyerError('bad_request', 'Invalid configuration: --files s3://... needs FOYER_S3_ENDPOINT.');
  }
  return config;
}

export const publicUrlOf = (config: FoyerConfig): string =>
  (config.publicUrl ?? `http://localhost:${config.port}`).replace(/\/$/, '');
