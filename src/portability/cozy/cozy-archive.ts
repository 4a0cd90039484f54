/**
 * The layout of the archive Cozy Cloud gives when a person exports their Cozy (cozy-stack,
 * `model/move`, `ExportCopyData`): a zip, in parts for large Cozies (the first part holds the
 * documents), with
 *   My Cozy/Data/instance.json                 the instance's settings (no personal data kept)
 *   My Cozy/Data/<doctype>/<id>.json           one CouchDB document per entry, `_id` and `_rev`
 *                                              included, the doctype URL-escaped
 *   My Cozy/Data/io.cozy.files/<id>.json       a directory or a file's metadata; for a file, its
 *   My Cozy/Files/<path of the file>           content is the entry right after it
 *   My Cozy/Data/io.cozy.files.versions/<id>.json + My Cozy/Files/<version id>: old versions.
 * This module only finds the entries; reading them is `cozy-import.ts`'s.
 */
import type { ArchiveEntry } from '../../importers/archive/zip-archive.js';
import { importError } from '../../importers/import-error.js';

export const COZY_DATA_DIR = 'My Cozy/Data/';
export const COZY_FILES_DIR = 'My Cozy/Files/';
export const FILES_DOCTYPE = 'io.cozy.files';
export const VERSIONS_DOCTYPE = 'io.cozy.files.versions';
/** A document larger than this is not a Cozy document: refused rather than held in memory. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export interface CozyDocumentEntry {
  doctype: string;
  /** The id the entry's name gives (the document's `_id`). */
  id: string;
  entry: ArchiveEntry;
}

export interface CozyFileEntry extends CozyDocumentEntry {
  /** The content, for a file whose next entry is under `My Cozy/Files/`; null for a directory (or a missing content). */
  content: ArchiveEntry | null;
}

export interface CozyLayout {
  /** Documents of every doctype but files and their versions, in archive order. */
  documents: CozyDocumentEntry[];
  /** `io.cozy.files` documents (directories and files), with their contents. */
  files: CozyFileEntry[];
  /** `io.cozy.files.versions` documents (old versions of files); their contents are not imported. */
  versions: CozyDocumentEntry[];
  /** Entries outside the layout (other folders, `instance.json`): named in the report, not imported. */
  ignored: string[];
}

/** True when the archive is a Cozy export: documents under `My Cozy/Data/`. */
export function isCozyExport(entries: readonly ArchiveEntry[]): boolean {
  return entries.some((e) => e.path.startsWith(COZY_DATA_DIR) && e.path.endsWith('.json'));
}

export function cozyLayout(entries: readonly ArchiveEntry[], archive: string): CozyLayout {
  const layout: CozyLayout = { documents: [], files: [], versions: [], ignored: [] };
  entries.forEach((entry, i) => {
    if (entry.path.startsWith(COZY_FILES_DIR)) return; // taken with the document before it
    const parsed = entry.path.startsWith(COZY_DATA_DIR) ? documentName(entry.path, archive) : null;
    if (!parsed) {
      layout.ignored.push(entry.path);
      return;
    }
    const doc = { ...parsed, entry };
    if (parsed.doctype === FILES_DOCTYPE) {
      const next = entries[i + 1];
      layout.files.push({ ...doc, content: next?.path.startsWith(COZY_FILES_DIR) ? next : null });
    } else if (parsed.doctype === VERSIONS_DOCTYPE) {
      layout.versions.push(doc);
    } else {
      layout.documents.push(doc);
    }
  });
  return layout;
}

/** `My Cozy/Data/<doctype>/<id>.json` → doctype and id; null for anything else (instance.json). */
function documentName(path: string, archive: string): { doctype: string; id: string } | null {
  const rest = path.slice(COZY_DATA_DIR.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || !rest.endsWith('.json')) return null;
  let doctype: string;
  try {
    doctype = decodeURIComponent(rest.slice(0, slash));
  } catch {
    throw importError(archive, `"${path}" does not name a Cozy doctype.`, undefined, { entry: path });
  }
  const id = rest.slice(slash + 1, -'.json'.length);
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(doctype) || id.length === 0 || id.length > 500) {
    throw importError(archive, `"${path}" does not name a Cozy document.`, undefined, { entry: path });
  }
  return { doctype, id };
}

/** The JSON object an entry holds; `import_invalid` naming the entry otherwise. */
export async function readCozyDocument(doc: CozyDocumentEntry, archive: string): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of doc.entry.open()) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BYTES) {
      throw importError(archive, `${doc.entry.path} is larger than a Cozy document can be.`, undefined, {
        entry: doc.entry.path,
      });
    }
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (e) {
    throw importError(archive, `${doc.entry.path} is not valid JSON (${(e as Error).message}).`, undefined, {
      entry: doc.entry.path,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw importError(archive, `${doc.entry.path} does not hold a JSON object.`, undefined, { entry: doc.entry.path });
  }
  return value as Record<string, unknown>;
}
