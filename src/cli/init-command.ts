import { createFoyer } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import { FoyerError } from '../core/errors.js';
import type { CliIo } from './cli-io.js';
import { spaceFor } from './space-for.js';

// Where it always was, for the commands that import it from here.
export { spaceFor };

export async function runInit(
  config: FoyerConfig,
  io: CliIo,
  options: { space?: string; passphraseStdin: boolean },
): Promise<number> {
  const space = spaceFor(config, options.space);
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  try {
    if (!(await foyer.spaces.get(space))) throw new FoyerError('space_not_found', `There is no space "${space}".`);
    if ((await foyer.ownerAuth.status(space)).initialised) {
      io.err(`Space "${space}" already has a passphrase. Change it from a logged-in session.`);
      return 1;
    }
    let passphrase: string;
    if (options.passphraseStdin) {
      passphrase = (await io.readStdin()).replace(/\r?\n$/, '');
    } else {
      passphrase = await io.ask('New passphrase (at least 12 characters): ', true);
      const again = await io.ask('Same passphrase again: ', true);
      if (again !== passphrase) {
        io.err('The two passphrases differ; nothing was changed.');
        return 1;
      }
    }
    await foyer.ownerAuth.init(space, passphrase);
    io.out(`Passphrase set for space "${space}". Log in at the address "foyer serve" prints.`);
    return 0;
  } finally {
    await foyer.close();
  }
}
