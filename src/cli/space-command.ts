import { createFoyer } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import type { CliIo } from './cli-io.js';

export async function runSpace(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { hosts: string[]; timeZone?: string },
): Promise<number> {
  const [sub, id] = args;
  if (sub !== 'create' && sub !== 'list') {
    io.err('Use: foyer space create ID [--host NAME ...] | space list');
    return 2;
  }
  if (sub === 'create' && !id) {
    io.err('foyer space create needs an id.');
    return 2;
  }
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  try {
    if (sub === 'create') {
      const space = await foyer.spaces.create(id!, options.hosts, options.timeZone ?? config.timeZone);
      io.out(
        `Space "${space.id}" created${space.hosts.length ? ` for ${space.hosts.join(', ')}` : ''}. Set its passphrase with: foyer init --space ${space.id}`,
      );
    } else {
      for (const s of await foyer.spaces.list())
        io.out(`${s.id}  ${s.hosts.join(',') || '-'}  ${s.timeZone}  created ${s.createdAt}`);
    }
    return 0;
  } finally {
    await foyer.close();
  }
}
