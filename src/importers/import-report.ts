/** What an import (or its preview) found and did, as the CLI, the API and the web app show it. */
import type { ImportWarning } from './importer.js';

export interface DoctypeCounts {
  /** Documents new to the space. */
  created: number;
  /** Documents an earlier import wrote, changed in this file (a pending line now booked...). */
  updated: number;
  /** Documents already there, identical. */
  unchanged: number;
  /** Documents already there that the person (or an app) changed since: their version is kept. */
  kept: number;
  /** Documents the person deleted: not brought back. */
  deleted: number;
  /** Series points written (new or replacing the same instant). */
  points: number;
}

export interface ImportReport {
  id: string;
  file: string;
  size: number | null;
  /** sha256 of the file's bytes, hex. */
  checksum: string;
  format: { id: string; title: string };
  encoding: string;
  status: 'previewed' | 'imported' | 'failed';
  counts: Record<string, DoctypeCounts>;
  /** Records the file held (documents and points). */
  records: number;
  warnings: ImportWarning[];
  /** All warnings, when more than the ones listed. */
  warningCount: number;
  /** The first records of each doctype, as they will be stored. */
  sample: Record<string, unknown[]>;
  /** What the importer inferred (e.g. a CSV mapping), for the preview. */
  details?: Record<string, unknown>;
  startedAt: string;
  finishedAt: string;
  /** For `failed`: the error's code and message. */
  error?: { code: string; message: string; details?: unknown };
}

export const emptyCounts = (): DoctypeCounts => ({
  created: 0,
  updated: 0,
  unchanged: 0,
  kept: 0,
  deleted: 0,
  points: 0,
});
