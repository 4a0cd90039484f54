/**
 * The "portability" workload (issue 8's targets): a space of 1,000,000 documents and one of 1 GB of
 * files (`--import-scale` shrinks both), filled directly through the stores, then exported by the
 * real CLI (`foyer export --space S --out FILE`) and imported into fresh storage
 * (`foyer import-archive FILE --space S --json`), each in a child process: wall time from spawn to
 * exit (start-up and opening the stores included) and the child's peak RSS (VmHWM, read from /proc
 * while it runs). An export or an import that does not report exactly the documents and files
 * written is a failed check, never a speed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../src/app/config.js';
import { createFoyer } from '../src/app/create-foyer.js';
import { FILE_DOCTYPE } from '../src/core/files/file-doctype.js';
import type { DocumentWrite, ImportBatch } from '../src/storage/document-store.js';
import { runChild, type ChildRun } from './child-run.js';
import type { StoreName } from './options.js';
import { createFreshDatabase } from './postgres-database.js';
import { round } from './stats.js';

export const PORTABILITY_TARGETS = { documentSeconds: 20, filesMBps: 100, peakRssMiB: 300 };

export interface PortabilityLeg {
  seconds: number;
  /** CPU time of the child (user + system). */
  cpuSeconds: number;
  peakRssMiB: number | null;
  /** Archive size. */
  archiveMiB: number;
}

export interface PortabilityBenchResult {
  documents: number;
  fileMiB: number;
  exportDocuments?: PortabilityLeg;
  importDocuments?: PortabilityLeg;
  exportFiles?: PortabilityLeg & { MBps: number };
  importFiles?: PortabilityLeg & { MBps: number };
  problems: string[];
}

const FILE_MIB = 8;

/** A plausible bank line, different for each i. */
function transaction(i: number): string {
  const day = new Date(Date.UTC(2015, 0, 1) + (i % 3650) * 86_400_000).toISOString().slice(0, 10);
  return JSON.stringify({
    date: `${day}T00:00:00Z`,
    label: `CB COMMERCE ${i % 997} PARIS ${i % 20}`,
    amount: -((i * 37) % 20_000) / 100,
    currency: 'EUR',
    accountId: `acc-${i % 3}`,
    type: 'card',
    category: ['food', 'transport', 'shopping', 'energy'][i % 4],
  });
}

export async function portabilityBench(o: {
  launcher: readonly string[];
  store: StoreName;
  databaseUrl?: string;
  scale: number;
  timeoutMs: number;
  log: (line: string) => void;
}): Promise<PortabilityBenchResult> {
  const documents = Math.max(100, Math.round(1_000_000 * o.scale));
  const files = Math.max(1, Math.round((1024 / FILE_MIB) * o.scale));
  const result: PortabilityBenchResult = { documents, fileMiB: files * FILE_MIB, problems: [] };
  const from = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-export-'));
  const to = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-import-'));
  const dbFrom = o.store === 'postgres' && o.databaseUrl ? await createFreshDatabase(o.databaseUrl) : null;
  const dbTo = o.store === 'postgres' && o.databaseUrl ? await createFreshDatabase(o.databaseUrl) : null;
  const storage = (dataDir: string, db: { url: string } | null) => [
    '--data-dir',
    dataDir,
    ...(db ? ['--database-url', db.url] : []),
  ];
  try {
    o.log(
      `  portability: filling a space with ${documents} documents and one with ${files} files of ${FILE_MIB} MiB...`,
    );
    const config = loadConfig({
      FOYER_DATA_DIR: from,
      FOYER_LOG_LEVEL: 'error',
      ...(dbFrom ? { FOYER_DATABASE_URL: dbFrom.url } : {}),
    });
    const foyer = await createFoyer(config);
    try {
      await foyer.spaces.create('docs');
      await foyer.spaces.create('files');
      const meta = JSON.stringify({
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        createdBy: { kind: 'system', reason: 'bench' },
        updatedBy: { kind: 'system', reason: 'bench' },
        source: { kind: 'system' },
      });
      function* batches(): Iterable<ImportBatch> {
        for (let start = 0; start < documents; start += 10_000) {
          const writes: DocumentWrite[] = [];
          for (let i = start; i < Math.min(documents, start + 10_000); i++) {
            const id = `t${String(i).padStart(9, '0')}`;
            writes.push({
              doctype: 'bank.transaction',
              id,
              expectedRev: null,
              rev: '1-a0',
              deleted: false,
              data: transaction(i),
              meta,
            });
          }
          yield { documents: writes };
        }
      }
      await foyer.documentStore.applyImport('docs', batches());
      for (let k = 0; k < files; k++) {
        const id = `f${String(k).padStart(6, '0')}`;
        const content = randomBytes(FILE_MIB * 1024 * 1024);
        const blob = await foyer.fileStore.put(`files/${id}/1-c0`, Readable.from([content]));
        const record = {
          name: `scan-${k}.jpg`,
          folder: '/',
          type: 'image/jpeg',
          size: blob.size,
          sha256: blob.sha256,
          content: '1-c0',
        };
        if (blob.sha256 !== createHash('sha256').update(content).digest('hex')) throw new Error('blob hash');
        await foyer.documentStore.writeDocuments('files', [
          {
            doctype: FILE_DOCTYPE,
            id,
            expectedRev: null,
            rev: '1-c0',
            deleted: false,
            data: JSON.stringify(record),
            meta,
          },
        ]);
      }
    } finally {
      await foyer.close();
    }

    const leg = async (
      name: string,
      args: string[],
      check: (run: ChildRun) => string | null,
      archive: string,
    ): Promise<PortabilityLeg | undefined> => {
      const run = await runChild(o.launcher, args, o.timeoutMs);
      const problem = run.code !== 0 ? `exit ${run.code}: ${run.err.slice(-500)}` : check(run);
      if (problem) {
        result.problems.push(`${name}: ${problem}`);
        o.log(`  ${name} FAILED: ${problem}`);
        return undefined;
      }
      const out = {
        seconds: run.seconds,
        cpuSeconds: run.cpuSeconds,
        peakRssMiB: run.peakRssMiB,
        archiveMiB: round(statSync(archive).size / 2 ** 20),
      };
      o.log(
        `  ${name}: ${out.seconds} s (CPU ${out.cpuSeconds} s), peak RSS ${out.peakRssMiB} MiB, archive ${out.archiveMiB} MiB`,
      );
      return out;
    };
    const docsZip = path.join(from, 'docs.zip');
    const filesZip = path.join(from, 'files.zip');
    const report = (run: ChildRun) =>
      JSON.parse(run.out) as { documents: Record<string, { created: number }>; files: { created: number } };
    result.exportDocuments = await leg(
      `export ${documents} documents`,
      ['export', '--space', 'docs', '--out', docsZip, ...storage(from, dbFrom)],
      (run) => (run.out.includes(`${documents} documents`) ? null : `unexpected report: ${run.out}`),
      docsZip,
    );
    result.exportFiles = withRate(
      await leg(
        `export ${files * FILE_MIB} MiB of files`,
        ['export', '--space', 'files', '--out', filesZip, ...storage(from, dbFrom)],
        (run) => (run.out.includes(`${files} files`) ? null : `unexpected report: ${run.out}`),
        filesZip,
      ),
      result.fileMiB,
    );
    if (result.exportDocuments) {
      result.importDocuments = await leg(
        `import ${documents} documents`,
        ['import-archive', docsZip, '--space', 'docs', '--json', ...storage(to, dbTo)],
        (run) => {
          const created = report(run).documents['bank.transaction']?.created;
          return created === documents ? null : `created ${created}, expected ${documents}`;
        },
        docsZip,
      );
    }
    if (result.exportFiles) {
      result.importFiles = withRate(
        await leg(
          `import ${files * FILE_MIB} MiB of files`,
          ['import-archive', filesZip, '--space', 'files', '--json', ...storage(to, dbTo)],
          (run) =>
            report(run).files.created === files ? null : `created ${report(run).files.created}, expected ${files}`,
          filesZip,
        ),
        result.fileMiB,
      );
    }
  } finally {
    rmSync(from, { recursive: true, force: true });
    rmSync(to, { recursive: true, force: true });
    await dbFrom?.drop();
    await dbTo?.drop();
  }
  return result;
}

function withRate(leg: PortabilityLeg | undefined, mib: number): (PortabilityLeg & { MBps: number }) | undefined {
  return leg ? { ...leg, MBps: round((mib * 1.048576) / leg.seconds) } : undefined;
}
