/**
 * `foyer holder-kit check URL --username U [--password P]`: runs the Holder Kit conformance test
 * against a holder and prints each check; exit 0 when it conforms, 1 when not, 2 on bad usage.
 * Item data is checked against Foyer's catalog when discovery names a schema it holds.
 */
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import { catalogValidator } from '../holder-kit/conformance/catalog-validator.js';
import { formatReport } from '../holder-kit/conformance/conformance-report.js';
import { runHolderKitConformance } from '../holder-kit/conformance/run-conformance.js';
import type { CliIo } from './cli-io.js';

export interface HolderKitCommandOptions {
  username?: string | undefined;
  password?: string | undefined;
  clientId?: string | undefined;
  redirectUri?: string | undefined;
  json?: boolean;
}

const USAGE =
  'Usage: foyer holder-kit check URL --username LOGIN [--password PASSWORD] [--client-id ID] [--redirect-uri URI] [--json]';

export async function runHolderKitCommand(
  io: CliIo,
  args: string[],
  options: HolderKitCommandOptions,
): Promise<number> {
  const [sub, url, ...extra] = args;
  if (sub !== 'check' || !url || extra.length > 0 || !options.username) {
    io.err(USAGE);
    return 2;
  }
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error();
  } catch {
    io.err(`Not an http(s) URL: ${url}\n${USAGE}`);
    return 2;
  }
  // Asked rather than typed on the command line, where other users of the machine could see it.
  const password = options.password ?? (await io.ask(`Password of ${options.username} at ${url}: `, true));
  const validate = catalogValidator(await loadCatalog(defaultCatalogDir(), { verify: false }));
  const report = await runHolderKitConformance({
    baseUrl: url,
    username: options.username,
    password,
    validate,
    ...(options.clientId ? { clientId: options.clientId } : {}),
    ...(options.redirectUri ? { redirectUri: options.redirectUri } : {}),
    onCheck: (c) => io.progress?.(`${c.status} ${c.id}`),
  });
  io.progress?.('');
  io.out(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.passed ? 0 : 1;
}
