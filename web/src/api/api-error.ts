/**
 * What went wrong with a call to Foyer, in plain words. The server's `{ error: { code, message } }`
 * keeps its stable code; the person reads the sentence `plainMessage` gives for it, in their
 * language, with what to do next. The server's own message (already written for people) is kept
 * for codes where it says more than the general sentence can.
 */
import type { Locale } from '../i18n/i18n.js';

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  constructor(code: string, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

type Plain = Record<Locale, string>;

const PLAIN: Record<string, Plain> = {
  network: {
    en: 'Foyer cannot be reached. Check that it is still running, then try again.',
    fr: 'Foyer est injoignable. Vérifiez qu’il tourne toujours, puis réessayez.',
  },
  unauthenticated: {
    en: 'Your session has ended. Log in again.',
    fr: 'Votre session a pris fin. Reconnectez-vous.',
  },
  invalid_credentials: {
    en: 'This passphrase (or setup code) is not the right one. Check it and try again.',
    fr: 'Cette phrase de passe (ou ce code d’installation) n’est pas la bonne. Vérifiez-la et réessayez.',
  },
  invalid_token: {
    en: 'Your session has expired. Log in again.',
    fr: 'Votre session a expiré. Reconnectez-vous.',
  },
  csrf_failed: {
    en: 'This page is out of date. Reload it and try again.',
    fr: 'Cette page n’est plus à jour. Rechargez-la et réessayez.',
  },
  too_many_requests: {
    en: 'Too many attempts. Wait a minute before trying again.',
    fr: 'Trop de tentatives. Attendez une minute avant de réessayer.',
  },
  conflict: {
    en: 'This was changed in the meantime. Reload to see the latest version, then redo your change.',
    fr: 'Ceci a été modifié entre-temps. Rechargez pour voir la dernière version, puis refaites votre modification.',
  },
  not_found: { en: 'This no longer exists.', fr: 'Ceci n’existe plus.' },
  payload_too_large: {
    en: 'This file is too large for this Foyer.',
    fr: 'Ce fichier est trop volumineux pour ce Foyer.',
  },
  import_unrecognized: {
    en: 'Foyer does not recognise this file. Check that it is a bank statement, an energy export or another supported format.',
    fr: 'Foyer ne reconnaît pas ce fichier. Vérifiez qu’il s’agit d’un relevé bancaire, d’un export d’énergie ou d’un autre format pris en charge.',
  },
  already_initialised: {
    en: 'A passphrase already exists. Log in instead.',
    fr: 'Une phrase de passe existe déjà. Connectez-vous plutôt.',
  },
  not_initialised: {
    en: 'No passphrase has been set yet. Create one first.',
    fr: 'Aucune phrase de passe n’a encore été créée. Créez-en une d’abord.',
  },
  unavailable: {
    en: 'Foyer’s storage cannot be reached right now. Try again in a moment.',
    fr: 'Le stockage de Foyer est injoignable pour l’instant. Réessayez dans un moment.',
  },
  internal: {
    en: 'Something went wrong inside Foyer. Try again; if it happens again, the logs say more.',
    fr: 'Une erreur interne est survenue dans Foyer. Réessayez ; si elle se reproduit, les journaux en disent plus.',
  },
};

/** Codes whose server message names the precise problem (a field, a line of a file). */
const SERVER_SAYS_MORE = new Set(['validation_failed', 'import_invalid', 'invalid_name', 'bad_request', 'forbidden']);

export function plainMessage(error: unknown, locale: Locale): string {
  if (error instanceof ApiError) {
    const plain = PLAIN[error.code];
    if (plain && !SERVER_SAYS_MORE.has(error.code)) return plain[locale];
    if (error.message) return error.message;
    return (PLAIN.internal as Plain)[locale];
  }
  return (PLAIN.internal as Plain)[locale];
}
