/**
 * File names and folders as people see them. They are metadata only: blobs are stored under
 * keys Foyer makes, so a name can never become a path on disk, but names still must be safe to
 * show, download and export (no separators, control characters, `.` or `..`).
 */
import { FoyerError } from '../errors.js';

export const MAX_NAME_BYTES = 255;
export const MAX_FOLDER_BYTES = 1024;
export const MAX_FOLDER_DEPTH = 32;

// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;

export function checkFileName(name: string, what = 'name'): string {
  const normalised = name.normalize('NFC');
  if (normalised.trim() === '' || normalised === '.' || normalised === '..') {
    throw new FoyerError('invalid_name', `The file ${what} is empty or a dot name.`);
  }
  if (FORBIDDEN.test(normalised)) {
    throw new FoyerError('invalid_name', `The file ${what} may not contain "/", "\\" or control characters.`);
  }
  if (Buffer.byteLength(normalised) > MAX_NAME_BYTES) {
    throw new FoyerError('invalid_name', `The file ${what} is longer than ${MAX_NAME_BYTES} bytes.`);
  }
  return normalised;
}

/** `/` or `/a/b`: absolute, no empty, `.` or `..` segment, no trailing slash. */
export function checkFolder(folder: string): string {
  const normalised = folder.normalize('NFC');
  if (normalised === '/') return normalised;
  if (!normalised.startsWith('/') || normalised.endsWith('/')) {
    throw new FoyerError('invalid_name', 'A folder is an absolute path like "/bills/2024", without a trailing "/".');
  }
  const segments = normalised.slice(1).split('/');
  if (segments.length > MAX_FOLDER_DEPTH) {
    throw new FoyerError('invalid_name', `Folders nest at most ${MAX_FOLDER_DEPTH} deep.`);
  }
  if (Buffer.byteLength(normalised) > MAX_FOLDER_BYTES) {
    throw new FoyerError('invalid_name', `A folder path is at most ${MAX_FOLDER_BYTES} bytes.`);
  }
  for (const s of segments) checkFileName(s, 'folder name');
  return normalised;
}

/** A Content-Type worth storing: `type/subtype` with optional parameters, else octet-stream. */
export function normaliseMediaType(value: string | undefined): string {
  const v = (value ?? '').trim().toLowerCase();
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9_-]+=("[^"\\]*"|[a-z0-9_.-]+))*$/.test(v) &&
    v.length <= 200
    ? v
    : 'application/octet-stream';
}
