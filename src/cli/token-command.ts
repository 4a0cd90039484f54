import { createFoyer } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import type { CliIo } from './cli-io.js';
import { spaceFor } from './init-command.js';

export async function runToken(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { space?: string; label?: string; expires?: string },
): Promise<number> {
  const [sub, id] = args;
  const space = spaceFor(config, options.space);
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    io.err('Use: foyer token create --label TEXT | token list | token revoke TOKEN-ID');
    return 2;
  }
  if (sub === 'create' && !options.label) {
    io.err('foyer token create needs --label, to recognise the token later.');
    return 2;
  }
  if (sub === 'revoke' && !id) {
    io.err('foyer token revoke needs the token id (see foyer token list).');
    return 2;
  }
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  try {
    if (sub === 'create') {
      const t = await foyer.ownerAuth.createToken(space, { label: options.label!, expiresAt: options.expires ?? null });
      io.err(
        `Token "${t.label}" (${t.tokenId}) created${t.expiresAt ? `, valid until ${t.expiresAt}` : ''}. It is shown once:`,
      );
      io.out(t.token);
    } else if (sub === 'list') {
      for (const t of await foyer.ownerAuth.listTokens(space)) {
        io.out(
          `${t.tokenId}  ${t.label}  created ${t.createdAt}  ${t.expired ? 'EXPIRED' : `expires ${t.expiresAt ?? 'never'}`}  last used ${t.lastUsedAt ?? 'never'}`,
        );
      }
    } else {
      await foyer.ownerAuth.revokeToken(space, id!);
      io.out(`Token ${id} revoked.`);
    }
    return 0;
  } finally {
    await foyer.close();
  }
}
