/**
 * What a Foyer archive holds and where (docs/archive-format.md): the member paths, the manifest,
 * and which internal doctypes travel with the catalog's. Shared by the writer and the reader so the
 * two cannot drift.
 */
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import { GRANT_DOCTYPE, GRANT_STATE_DOCTYPE } from '../core/grants/grant.js';
import { SETTINGS_DOCTYPE } from '../core/retention/retention-settings.js';

export const ARCHIVE_FORMAT = 'foyer-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';
export const LEDGER_PATH = 'ledger/entries.jsonl';
/** Ledgers of spaces imported earlier, carried verbatim (their chains still verify). */
export const PREVIOUS_LEDGER_DOCTYPE = 'foyer.previous-ledger';

/**
 * Internal doctypes exported with the catalog's, and the gate doctype each is read and written
 * under. Everything else internal (passphrase hash, sessions, tokens, keys, the credential vault,
 * OAuth clients) belongs to this server and this space's keys: it never leaves.
 */
export const INTERNAL_DOCTYPES: Readonly<Record<string, string>> = {
  [FILE_DOCTYPE]: FILE_DOCTYPE,
  [GRANT_DOCTYPE]: GRANT_DOCTYPE,
  [GRANT_STATE_DOCTYPE]: GRANT_DOCTYPE,
  [SETTINGS_DOCTYPE]: SETTINGS_DOCTYPE,
  [PREVIOUS_LEDGER_DOCTYPE]: 'foyer.ledger',
};

export const schemaPath = (doctype: string) => `schemas/${doctype}.schema.json`;
export const documentsPath = (doctype: string) => `documents/${doctype}.jsonl`;
export const seriesPath = (doctype: string) => `series/${doctype}.jsonl`;
export const filePath = (id: string) => `files/${id}`;
export const previousLedgerPath = (id: string) => `ledger/previous/${id}.jsonl`;
export const formatPath = (name: string) => `formats/${name}`;

const DOCTYPE = '[a-z0-9][a-z0-9.-]{0,127}';
const ID = '[A-Za-z0-9][A-Za-z0-9_.~:-]{0,127}';

/** Every path an archive may hold; anything else is refused. */
export const MEMBER_PATH = new RegExp(
  `^(?:manifest\\.json|schemas/${DOCTYPE}\\.schema\\.json|documents/${DOCTYPE}\\.jsonl|series/${DOCTYPE}\\.jsonl` +
    `|files/${ID}|ledger/entries\\.jsonl|ledger/previous/${ID}\\.jsonl|formats/[a-z0-9][a-z0-9.-]{0,63})$`,
);

export interface MemberSum {
  size: number;
  sha256: string;
}

export interface ArchiveManifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  createdAt: string;
  foyer: { version: string };
  space: { id: string; timeZone: string; createdAt: string };
  /** Doctypes present in the archive, each with its catalog version and kind. */
  catalog: { doctypes: Record<string, { version: number; kind: 'document' | 'series' | 'internal' }> };
  counts: {
    documents: Record<string, number>;
    points: Record<string, number>;
    files: number;
    fileBytes: number;
    ledgerEntries: number;
  };
  ledger: {
    head: { seq: number; hash: string };
    /** Ledgers carried from earlier spaces: member path, the space they were kept by, and their head. */
    previous: { path: string; space: string; head: { seq: number; hash: string } }[];
  };
  /** Every member but the manifest: its size and SHA-256. */
  members: Record<string, MemberSum>;
}
