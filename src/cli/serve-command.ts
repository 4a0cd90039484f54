import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createFoyer } from '../app/create-foyer.js';
import { publicUrlOf, type FoyerConfig } from '../app/config.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { releaseYoungGeneration } from '../platform/young-generation.js';
import type { CliIo } from './cli-io.js';

/** Listen addresses that `localhost` reaches; any other one is printed as it is. */
const REACHED_AS_LOCALHOST = new Set(['127.0.0.1', '0.0.0.0', '::', 'localhost']);

export function localUrl(host: string, port: number): string {
  const name = REACHED_AS_LOCALHOST.has(host) ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

export async function runServe(config: FoyerConfig, io: CliIo): Promise<number> {
  // Listen for the stop signal first: one that arrives during startup then stops Foyer cleanly.
  const stopSignal = io.stopSignal();
  const foyer = await createFoyer(config);
  let server: ServerType;
  try {
    server = serve({ fetch: foyer.app.fetch, port: config.port, hostname: config.host });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
  } catch (e) {
    // The port is taken or the address is not ours: close the stores before reporting it.
    await foyer.close();
    throw e;
  }
  // Started: V8 sizes its young generation as usual again once there is work (bin/foyer.js held it).
  server.once('request', releaseYoungGeneration);
  // Only a serving Foyer deletes and collects on schedule; one-off commands act when asked.
  foyer.startRetentionSchedule();
  foyer.startConnectorSchedule();
  foyer.startAppServices();
  const port = (server.address() as AddressInfo).port;
  const url = config.publicUrl ? publicUrlOf(config) : localUrl(config.host, port);
  io.out(
    `Foyer ${config.mode} is running at ${url}  (storage: ${foyer.documentStore.kind}, files: ${foyer.fileStore.kind}, data: ${config.dataDir})`,
  );
  if (config.mode === 'embedded' && !(await foyer.ownerAuth.status(DEFAULT_SPACE)).initialised) {
    const code = foyer.setupCodes.issue(DEFAULT_SPACE);
    io.out(`No passphrase yet. Create it at ${url}/?setup=${code}`);
    io.out(
      `  or in another terminal: npx foyer init${config.dataDir === process.cwd() + '/data' ? '' : ` --data-dir ${config.dataDir}`}`,
    );
  }
  const signal = await stopSignal;
  io.out(`${signal}: stopping`);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await foyer.close();
  return 0;
}
