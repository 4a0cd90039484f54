/**
 * The X (Twitter) archive's data files are JavaScript, not JSON: `data/tweets.js` is
 * `window.YTD.tweets.part0 = [ … ]`, sometimes ending in `;`. This strips the assignment while
 * streaming, so the JSON after it is read like any JSON file: nothing is executed, and the file
 * is never held whole. Line numbers are kept (the prefix's line breaks stay).
 */
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

const ASSIGNMENT = /^\s*window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*/;
/** The assignment is a few dozen characters: a longer start is not one. */
const MAX_PREFIX = 1024;

export interface YtdAssignment {
  /** `tweets`, `follower`, `direct_messages`... */
  name: string;
  part: number;
}

/** The assignment a sample starts with, when it is followed by a JSON array or object. */
export function ytdAssignmentOf(sampleText: string): YtdAssignment | undefined {
  const m = ASSIGNMENT.exec(sampleText);
  if (!m || !/^[[{]/.test(sampleText.slice(m[0].length))) return undefined;
  return { name: m[1]!, part: Number(m[2]) };
}

/** The same file, its text starting at the JSON value (a final `;` dropped). */
export function jsonAfterAssignment(source: ImportSource): ImportSource {
  return { ...source, text: () => payload(source) };
}

export function notAssignmentError(file: string) {
  return importError(
    file,
    'the file does not start with the archive\'s "window.YTD.<name>.part<N> =" assignment followed by JSON.',
    1,
  );
}

async function* payload(source: ImportSource): AsyncIterable<string> {
  let head = '';
  let started = false;
  /** A `;` and blanks at the end of what was read: dropped if nothing follows them. */
  let held = '';
  const notAssignment = () => notAssignmentError(source.name);
  for await (const chunk of source.text()) {
    let piece = chunk;
    if (!started) {
      head += chunk;
      const m = ASSIGNMENT.exec(head);
      const rest = m ? head.slice(m[0].length) : '';
      if (!m || rest === '') {
        if (head.length > MAX_PREFIX || (!m && head.includes('='))) throw notAssignment();
        continue;
      }
      if (!/^[[{]/.test(rest)) throw notAssignment();
      started = true;
      piece = m[0].replace(/[^\n]/g, '') + rest;
    }
    piece = held + piece;
    held = '';
    const tail = /;\s*$/.exec(piece);
    if (tail) {
      held = piece.slice(tail.index);
      piece = piece.slice(0, tail.index);
    }
    if (piece !== '') yield piece;
  }
  if (!started) throw notAssignment();
}
