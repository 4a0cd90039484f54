/**
 * Portability: the space's archive out (optionally sealed under a passphrase), an archive in (a
 * merge), and the domain formats one at a time. The HTTP routes and the CLI call these.
 */
import { FoyerError } from '../core/errors.js';
import type { RequestContext } from '../core/principal.js';
import { sealingSink } from './archive-envelope.js';
import { writeArchive, type ExportOptions } from './archive-export.js';
import { importArchive, type ArchiveImportOptions, type ArchiveImportReport } from './archive-import.js';
import type { ArchiveManifest } from './archive-layout.js';
import { DOMAIN_FORMATS, domainFormat, type DomainFormat } from './domain-formats.js';
import type { PortabilityDeps } from './portability-deps.js';
import { textChunks } from './space-pages.js';
import type { ByteSink } from './zip-writer.js';

/** A passphrase protects a whole space: at least as long as the owner's own. */
export const MIN_PASSPHRASE_LENGTH = 12;

export type PortabilityService = ReturnType<typeof createPortabilityService>;

export function createPortabilityService(deps: PortabilityDeps) {
  const ownerOnly = (ctx: RequestContext, what: string) => {
    if (ctx.principal?.kind !== 'owner' && ctx.principal?.kind !== 'system') {
      throw new FoyerError('owner_only', `Only the space’s owner can ${what}.`);
    }
  };
  return {
    formats: (): readonly DomainFormat[] => DOMAIN_FORMATS,

    /** Streams the archive to `sink`, sealed when a passphrase is given. */
    async exportArchive(
      ctx: RequestContext,
      sink: ByteSink,
      options: ExportOptions & { passphrase?: string } = {},
    ): Promise<ArchiveManifest> {
      ownerOnly(ctx, 'export the space');
      if (options.passphrase === undefined) return writeArchive(deps, ctx, sink, options);
      checkPassphrase(options.passphrase);
      const sealed = await sealingSink(sink, options.passphrase);
      const manifest = await writeArchive(deps, ctx, sealed.sink, options);
      await sealed.finish();
      return manifest;
    },

    importArchive(ctx: RequestContext, file: string, options: ArchiveImportOptions = {}): Promise<ArchiveImportReport> {
      return importArchive(deps, ctx, file, options);
    },

    /** One domain format's bytes (empty when the space holds none of its data), read through the gate. */
    async exportFormat(
      ctx: RequestContext,
      name: string,
    ): Promise<{ format: DomainFormat; bytes: AsyncIterable<Uint8Array> }> {
      ownerOnly(ctx, 'export the space');
      const format = domainFormat(name);
      if (!format) {
        throw new FoyerError('not_found', `There is no format "${name}".`, {
          formats: DOMAIN_FORMATS.map((f) => f.file),
        });
      }
      const permit = await deps.gate(ctx, { verb: 'read', doctype: format.doctype });
      let lines = 0;
      async function* counted() {
        for await (const line of format!.write(deps, ctx.space)) {
          lines++;
          yield line;
        }
      }
      // Streamed; the ledger entry is written once the whole text was read, or failed (or was abandoned).
      async function* bytes() {
        let settle!: (error?: unknown) => void;
        const done = new Promise<number>((resolve, reject) => {
          settle = (error) => (error === undefined ? resolve(lines) : reject(error));
        });
        const tracked = permit.track(
          () => done,
          (n) => ({ count: n }),
        );
        let error: unknown = new FoyerError('internal', 'The download stopped before its end.');
        try {
          yield* textChunks(counted());
          error = undefined;
        } catch (e) {
          error = e;
          throw e;
        } finally {
          settle(error);
          await tracked.catch(() => undefined);
        }
      }
      return { format, bytes: bytes() };
    },
  };
}

export function checkPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new FoyerError(
      'validation_failed',
      `An archive passphrase is at least ${MIN_PASSPHRASE_LENGTH} characters.`,
      {
        issues: [{ path: 'passphrase', rule: 'too_small', message: `at least ${MIN_PASSPHRASE_LENGTH} characters` }],
      },
    );
  }
}
