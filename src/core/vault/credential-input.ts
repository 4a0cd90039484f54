/**
 * What a connector may hand the vault: checked before anything is encrypted, with messages that
 * name the field and never repeat a value (it may be a password).
 */
import { checkDocumentId } from '../documents/document-id.js';
import { FoyerError } from '../errors.js';
import { credentialKinds, type CredentialKind } from './vault-record.js';

export interface CredentialSecret {
  kind: CredentialKind;
  /** The secret parts, by name: `{ username, password }`, `{ refreshToken }`, `{ totpSeed }`… */
  values: Record<string, string>;
  /** For people: "Boursorama, Alice's login". Stored in clear. */
  label: string;
  /** The data holder it logs in at. Stored in clear. */
  holder?: string | undefined;
}

const VALUE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
const MAX_VALUES = 32;
/** Room for a long OAuth token or a client certificate, not for documents. */
const MAX_VALUES_BYTES = 64 * 1024;
const MAX_TEXT = 200;

const invalid = (field: string, message: string) => new FoyerError('validation_failed', message, { field });

/** A credential's ref: a document id (`checkDocumentId`), e.g. `boursorama-main`. */
export const checkRef = (ref: string): string => checkDocumentId(ref);

function checkText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TEXT) {
    throw invalid(field, `The ${field} must be text of 1 to ${MAX_TEXT} characters.`);
  }
  return value;
}

/** The secret as given, or `validation_failed` naming what is wrong. */
export function checkSecret(secret: CredentialSecret): CredentialSecret {
  if (typeof secret !== 'object' || secret === null) throw invalid('secret', 'A credential is an object.');
  if (!credentialKinds.includes(secret.kind)) {
    throw invalid('kind', `The kind must be one of ${credentialKinds.join(', ')}.`);
  }
  const { values } = secret;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw invalid('values', 'The values must be an object of named strings.');
  }
  const names = Object.keys(values);
  if (names.length === 0 || names.length > MAX_VALUES) {
    throw invalid('values', `A credential holds 1 to ${MAX_VALUES} values.`);
  }
  for (const name of names) {
    if (!VALUE_NAME.test(name)) {
      throw invalid('values', `"${name.slice(0, 80)}" is not a value name (a letter, then letters, digits, _ . -).`);
    }
    if (typeof values[name] !== 'string') throw invalid('values', `The value "${name}" must be a string.`);
  }
  if (Buffer.byteLength(JSON.stringify(values), 'utf8') > MAX_VALUES_BYTES) {
    throw invalid('values', `A credential's values take at most ${MAX_VALUES_BYTES / 1024} KiB.`);
  }
  const label = checkText(secret.label, 'label');
  const holder = secret.holder === undefined ? undefined : checkText(secret.holder, 'holder');
  return { kind: secret.kind, values: { ...values }, label, holder };
}
