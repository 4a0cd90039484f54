/**
 * `foyer`: the command line. Commands that change a space (init, token, space) work directly on
 * the configured storage, as the person who runs Foyer on that machine.
 */
import { parseArgs } from 'node:util';
import { loadConfig, settings, type FoyerConfig } from '../app/config.js';
import { isFoyerError } from '../core/errors.js';
import { packageVersion } from '../platform/package-root.js';
import type { FoyerOverrides } from '../app/create-foyer.js';
// Commands are loaded when run: `foyer serve` does not carry the simulated holders, the Holder Kit
// conformance test or the importers' parsers in its memory.
import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';

const configFlags = settings.filter((s) => s.flag).map((s) => s.flag!.slice(2));

export const usage = `foyer ${'<command>'} [options]

Commands:
  serve                         Start Foyer (default: embedded, SQLite and files under ./data, port 8080)
  init [--space ID]             Set the owner's passphrase (asked twice; --passphrase-stdin to pipe it)
  doctypes [NAME]               List the catalog, or print one doctype's JSON Schema
  token create --label TEXT [--expires ISO-INSTANT] [--space ID]
                                Create a personal access token (printed once)
  token list [--space ID]       List tokens
  token revoke TOKEN-ID [--space ID]
  space create ID [--host NAME ...] [--time-zone ZONE]
                                Create a space (hosted mode: reached at its host names)
  space list                    List spaces
  space delete ID [--yes] [--receipt FILE] [--json]
                                Delete a space everywhere (asks for "delete ID" unless --yes); prints the receipt
  keys status                   Master keys, and each space's data keys and what wraps them
  keys generate                 Print a new random master key
  keys rotate [--finish]        Rotate the master key without downtime, in two steps (docs/security.md)
  keys rotate --space ID --data-key
                                Give a space a new data key (new files use it; old ones stay readable)
  keys rotate --space ID --data-key --rewrap
                                Then, once servers use it (a minute): re-encrypt the space's credential vault under it
  retention run [--space ID]    Delete now what has expired (every space unless --space); serve runs it daily
  import PATH... [--dry-run] [--json] [--format ID] [--account ID] [--date-order DMY|MDY|YMD] [--space ID]
                                Import files, folders or zip archives (bank statements, energy exports,
                                location history, calendars, contacts, health, media); --dry-run previews
  connect CONNECTOR [--origin URL] [--yes] [--backfill] [--space ID]
                                Connect a data holder: consent, login (or OAuth at the holder), first run;
                                --origin points it at another server of the same API (a simulated holder)
  sync [CONNECTOR] [--backfill] [--space ID]
                                Run the installed connectors now (or one); --backfill collects all again
  export [--out FILE] [--passphrase-file FILE] [--with-formats] [--format NAME] [--space ID]
                                Write the space's archive (docs/archive-format.md), sealed with the passphrase
                                in FILE (--with-formats: the domain formats inside too); or one domain format
                                alone (bank-transactions.csv|.ofx, calendar.ics, contacts.vcf, ...)
  import-archive FILE [--passphrase-file FILE] [--dry-run] [--json] [--space ID]
                                Merge a Foyer archive into the space; --dry-run checks it and reports
  ledger verify [--space ID]    Check the access ledger's hash chain; exit 1, listing the problems, if not intact
  holders [--seed TEXT] [--base-port N] [--date YYYY-MM-DD] [--speed N] [--fault SPEC ...] [--fault-seed TEXT]
                                Start the simulated data holders of a synthetic household on 127.0.0.1
                                (docs/simulated-holders.md); --export DIR writes the household as JSON Lines
  app list                      Apps offered (apps/registry.json) and installed, with their state
  app install ID|FOLDER [--yes] [--space ID]
                                Install an app: shows its consent text; nothing runs until accepted
  app uninstall ID [--keep] [--space ID]
                                Withdraw its consent: what it created is deleted unless --keep
  app dev FOLDER [--port N]     Serve an app under development against a throwaway space filled with
                                the synthetic household (docs/apps.md)
  holder-kit check URL --username LOGIN [--password PASSWORD] [--client-id ID] [--redirect-uri URI] [--json]
                                Run the Holder Kit conformance test against a holder (docs/holder-kit.md)

Options (also as environment variables):
${settings.map((s) => `  ${(s.flag ?? '').padEnd(16)} ${s.env.padEnd(28)} ${s.description}${s.default ? ` Default: ${s.default}.` : ''}`).join('\n')}
  --help, --version`;

/** `overrides` reach the commands that open Foyer for connectors (tests give their own connectors). */
export async function main(argv: string[], io: CliIo = processIo(), overrides: FoyerOverrides = {}): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(configFlags.map((f) => [f, { type: 'string' as const }])),
        space: { type: 'string' },
        label: { type: 'string' },
        expires: { type: 'string' },
        host: { type: 'string', multiple: true },
        'passphrase-stdin': { type: 'boolean' },
        finish: { type: 'boolean' },
        'data-key': { type: 'boolean' },
        rewrap: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        json: { type: 'boolean' },
        format: { type: 'string' },
        account: { type: 'string' },
        'date-order': { type: 'string' },
        origin: { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        backfill: { type: 'boolean' },
        username: { type: 'string' },
        password: { type: 'string' },
        'client-id': { type: 'string' },
        'redirect-uri': { type: 'string' },
        seed: { type: 'string' },
        'base-port': { type: 'string' },
        date: { type: 'string' },
        speed: { type: 'string' },
        fault: { type: 'string', multiple: true },
        'fault-seed': { type: 'string' },
        export: { type: 'string' },
        out: { type: 'string' },
        'passphrase-file': { type: 'string' },
        'with-formats': { type: 'boolean' },
        receipt: { type: 'string' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(packageVersion());
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(usage);
    return command === undefined && !values.help ? 2 : 0;
  }
  const flags: Record<string, string | undefined> = Object.fromEntries(
    configFlags
      .filter((f) => f !== 'host')
      .map((f) => [`--${f}`, values[f as keyof typeof values] as string | undefined]),
  );
  // `--host` is both the listen address (serve) and a space's host names (space create).
  if (command === 'serve' && values.host) flags['--host'] = values.host[values.host.length - 1];

  let config: FoyerConfig;
  try {
    config = loadConfig(io.env, flags);
  } catch (e) {
    io.err(isFoyerError(e) ? e.message : String(e));
    return 2;
  }

  try {
    switch (command) {
      case 'serve':
        return await (await import('./serve-command.js')).runServe(config, io);
      case 'init':
        return await (
          await import('./init-command.js')
        ).runInit(config, io, { space: values.space, passphraseStdin: values['passphrase-stdin'] === true });
      case 'doctypes':
        return await (await import('./doctypes-command.js')).runDoctypes(io, rest[0]);
      case 'token':
        return await (
          await import('./token-command.js')
        ).runToken(config, io, rest, { space: values.space, label: values.label, expires: values.expires });
      case 'import':
        return await (
          await import('./import-command.js')
        ).runImport(config, io, rest, {
          space: values.space,
          dryRun: values['dry-run'] === true,
          json: values.json === true,
          format: values.format,
          account: values.account,
          dateOrder: values['date-order'],
        });
      case 'export':
        return await (
          await import('../portability/export-command.js')
        ).runExport(config, io, {
          space: values.space,
          out: values.out,
          passphraseFile: values['passphrase-file'],
          format: values.format,
          withFormats: values['with-formats'] === true,
        });
      case 'import-archive':
        return await (
          await import('../portability/export-command.js')
        ).runImportArchive(config, io, rest, {
          space: values.space,
          passphraseFile: values['passphrase-file'],
          dryRun: values['dry-run'] === true,
          json: values.json === true,
        });
      case 'holder-kit':
        return await (
          await import('./holder-kit-command.js')
        ).runHolderKitCommand(io, rest, {
          username: values.username,
          password: values.password,
          clientId: values['client-id'],
          redirectUri: values['redirect-uri'],
          json: values.json === true,
        });
      case 'holders':
        return await (
          await import('./holders-command.js')
        ).runHolders(io, {
          seed: values.seed,
          basePort: values['base-port'],
          date: values.date,
          speed: values.speed,
          faults: values.fault,
          faultSeed: values['fault-seed'],
          export: values.export,
        });
      case 'connect':
        return await (
          await import('./connect-command.js')
        ).runConnect(
          config,
          io,
          rest,
          { space: values.space, origin: values.origin, yes: values.yes === true, backfill: values.backfill === true },
          overrides,
        );
      case 'sync':
        return await (
          await import('./sync-command.js')
        ).runSync(config, io, rest, { space: values.space, backfill: values.backfill === true }, overrides);
      case 'app':
        return await (
          await import('../apps/app-command.js')
        ).runApp(
          config,
          io,
          rest,
          { space: values.space, yes: values.yes === true, keep: values.keep === true },
          overrides,
        );
      case 'ledger':
        return await (await import('./ledger-command.js')).runLedger(config, io, rest, { space: values.space });
      case 'space':
        return await (
          await import('./space-command.js')
        ).runSpace(config, io, rest, {
          hosts: values.host ?? [],
          timeZone: (values as Record<string, unknown>)['time-zone'] as string | undefined,
          yes: values.yes === true,
          json: values.json === true,
          ...(values.receipt ? { receipt: values.receipt } : {}),
        });
      case 'retention':
        return await (
          await import('./retention-command.js')
        ).runRetentionCommand(config, io, rest, { space: values.space });
      case 'keys':
        return await (
          await import('./keys-command.js')
        ).runKeys(config, io, rest, {
          space: values.space,
          finish: values.finish === true,
          dataKey: values['data-key'] === true,
          rewrap: values.rewrap === true,
        });
      default:
        io.err(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (e) {
    io.err(isFoyerError(e) ? `${e.message}` : `Failed: ${(e as Error).message}`);
    return 1;
  }
}
