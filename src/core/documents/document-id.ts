import { randomBytes } from 'node:crypto';
import { FoyerError } from '../errors.js';

/** Client-chosen ids: safe in URLs, file names and logs; never a path. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_.~:-]{0,127}$/;

export function checkDocumentId(id: string): string {
  if (!ID.test(id) || id.includes('..')) {
    throw new FoyerError(
      'invalid_name',
      'A document id is 1 to 128 characters: letters, digits and _ . ~ : -, starting with a letter or digit, without "..".',
      { id: id.length > 200 ? id.slice(0, 200) + '…' : id },
    );
  }
  return id;
}

/** 32 random hex characters, like CouchDB's uuids. */
export const newDocumentId = (): string => randomBytes(16).toString('hex');

/** Revisions are `<generation>-<random hex>`; the generation counts writes of this id. */
export function nextRevision(previous: string | null): string {
  const generation = previous === null ? 1 : Number.parseInt(previous, 10) + 1;
  return `${generation}-${randomBytes(8).toString('hex')}`;
}
