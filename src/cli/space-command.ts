import { writeFile } from 'node:fs/promises';
import { createFoyer } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import { formatReceipt } from '../core/spaces/deletion-receipt.js';
import { confirmationPhrase } from '../http/routes/space-routes.js';
import type { CliIo } from './cli-io.js';

const USAGE =
  'Use: foyer space create ID [--host NAME ...] | space list | space delete ID [--yes] [--receipt FILE] [--json]';

export async function runSpace(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { hosts: string[]; timeZone?: string; yes?: boolean; receipt?: string; json?: boolean },
): Promise<number> {
  const [sub, id] = args;
  if (sub !== 'create' && sub !== 'list' && sub !== 'delete') {
    io.err(USAGE);
    return 2;
  }
  if ((sub === 'create' || sub === 'delete') && !id) {
    io.err(`foyer space ${sub} needs an id.`);
    return 2;
  }
  if (sub === 'delete' && !options.yes) {
    // Irreversible: the operator types the phrase, as the owner does in the web app.
    const typed = await io.ask(
      `This deletes space "${id}" and everything in it, for good. Type "${confirmationPhrase(id!)}" to go on: `,
      false,
    );
    if (typed.trim() !== confirmationPhrase(id!)) {
      io.err('Not confirmed: nothing was deleted.');
      return 1;
    }
  }
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  try {
    if (sub === 'create') {
      const space = await foyer.spaces.create(id!, options.hosts, options.timeZone ?? config.timeZone);
      io.out(
        `Space "${space.id}" created${space.hosts.length ? ` for ${space.hosts.join(', ')}` : ''}. Set its passphrase with: foyer init --space ${space.id}`,
      );
    } else if (sub === 'delete') {
      const receipt = await foyer.spaceDeletion.delete(id!, 'operator');
      const text = JSON.stringify(receipt, null, 2);
      // Written where the operator says, never into the data folder: nothing of the space stays there.
      if (options.receipt) await writeFile(options.receipt, text + '\n', { flag: 'wx', mode: 0o600 });
      io.out(options.json ? text : formatReceipt(receipt));
      if (options.receipt && !options.json) io.out(`Receipt saved to ${options.receipt}.`);
    } else {
      for (const s of await foyer.spaces.list())
        io.out(`${s.id}  ${s.hosts.join(',') || '-'}  ${s.timeZone}  created ${s.createdAt}`);
    }
    return 0;
  } finally {
    await foyer.close();
  }
}
