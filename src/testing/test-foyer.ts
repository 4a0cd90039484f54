/**
 * A real Foyer for HTTP tests: real stores (SQLite and disk by default, or the ones given), the
 * real composition root, the real node server on an ephemeral loopback port. Only argon2 is
 * made cheaper, so that logging in does not dominate the suite's time.
 */
import { serve, type ServerType } from '@hono/node-server';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type FoyerConfig } from '../app/config.js';
import { createFoyer, type Foyer, type FoyerOverrides } from '../app/create-foyer.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';

export const TEST_PASSPHRASE = 'correct horse battery staple';
export const cheapArgon2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestFoyer {
  foyer: Foyer;
  url: string;
  dataDir: string;
  /** fetch relative to the server, with JSON helpers. */
  request(pathname: string, init?: RequestInit & { json?: unknown; token?: string | null }): Promise<Response>;
  /** A personal access token of the default (or given) space's owner, created after init. */
  ownerToken(space?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestFoyer(
  options: { config?: Partial<FoyerConfig>; env?: Record<string, string>; overrides?: FoyerOverrides } = {},
): Promise<TestFoyer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'foyer-test-'));
  const config = {
    ...loadConfig({ FOYER_DATA_DIR: dataDir, FOYER_PORT: '0', FOYER_LOG_LEVEL: 'silent', ...options.env }),
    ...options.config,
  };
  const foyer = await createFoyer(config, { passphraseOptions: cheapArgon2, ...options.overrides });
  const server: ServerType = serve({ fetch: foyer.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = new Map<string, string>();
  let defaultToken: string | null = null;

  const t: TestFoyer = {
    foyer,
    url,
    dataDir,
    async request(pathname, init = {}) {
      const { json, token, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) {
        headers.set('content-type', 'application/json');
        rest.body = JSON.stringify(json);
      }
      const bearer = token === undefined ? defaultToken : token;
      if (bearer && !headers.has('authorization')) headers.set('authorization', `Bearer ${bearer}`);
      return fetch(url + pathname, { ...rest, headers });
    },
    async ownerToken(space = DEFAULT_SPACE) {
      const existing = tokens.get(space);
      if (existing) return existing;
      if (!(await foyer.ownerAuth.status(space)).initialised) await foyer.ownerAuth.init(space, TEST_PASSPHRASE);
      const created = await foyer.ownerAuth.createToken(space, { label: 'tests' });
      tokens.set(space, created.token);
      if (space === DEFAULT_SPACE) defaultToken = created.token;
      return created.token;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // fetch keeps connections alive; without this, close waits for them to time out.
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await closed;
      await foyer.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
