/**
 * The owner's passphrase: policy, argon2id hashing and verification. The hash is a PHC string
 * (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`) so it carries its own parameters; verification
 * reports when they differ from the current ones so login can rehash.
 */
import { FoyerError } from '../errors.js';

export interface PassphraseHashOptions {
  /** KiB of memory per hash. */
  memoryCost: number;
  /** Passes over the memory. */
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id recommendation (Password Storage Cheat Sheet): m=19 MiB, t=2, p=1. */
export const defaultPassphraseOptions: PassphraseHashOptions = { memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 };

export const passphraseMinLength = 12;
/** A ceiling keeps a single login from being made expensive by a huge body. */
export const passphraseMaxLength = 1024;

/** `Algorithm.Argon2id` (a const enum, not importable under isolatedModules). */
const argon2id = 2;
/** `Version.V0x13`. */
const argon2Version13 = 1;

/**
 * Passphrases are compared after NFKC normalisation (as NIST SP 800-63B advises), so the same
 * accented passphrase typed on two keyboards that compose characters differently still matches.
 */
function normalise(passphrase: string): string {
  return passphrase.normalize('NFKC');
}

/** Length in characters (code points), not UTF-16 units. */
function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function policyError(field: string, rule: string, message: string, extra?: Record<string, unknown>): FoyerError {
  return new FoyerError('validation_failed', message, { field, rule, ...extra });
}

/**
 * Throws a `validation_failed` FoyerError naming the field and the rule when a new passphrase is
 * not acceptable. `field` names the input in the error (`passphrase`, `newPassphrase`).
 */
export function checkPassphrasePolicy(passphrase: unknown, field = 'passphrase'): asserts passphrase is string {
  if (typeof passphrase !== 'string') {
    throw policyError(field, 'type', `The ${field} must be a string.`);
  }
  if (passphrase.includes('\u0000')) {
    throw policyError(field, 'noNul', `The ${field} must not contain a NUL character.`);
  }
  const length = characterCount(normalise(passphrase));
  if (length < passphraseMinLength) {
    throw policyError(
      field,
      'minLength',
      `The ${field} must be at least ${passphraseMinLength} characters long (it has ${length}).`,
      { limit: passphraseMinLength },
    );
  }
  if (length > passphraseMaxLength) {
    throw policyError(
      field,
      'maxLength',
      `The ${field} must be at most ${passphraseMaxLength} characters long (it has ${length}).`,
      { limit: passphraseMaxLength },
    );
  }
  if (new Set(normalise(passphrase)).size === 1) {
    throw policyError(field, 'notRepeated', `The ${field} must not repeat a single character.`);
  }
}

/** Whether a candidate could possibly be a valid passphrase; used to refuse junk before any hashing. */
export function isPlausiblePassphrase(candidate: unknown): candidate is string {
  return typeof candidate === 'string' && candidate.length <= passphraseMaxLength * 2 && !candidate.includes('\u0000');
}

/** argon2 is loaded at the first login or passphrase change: an idle server does not need it. */
const argon2 = () => import('@node-rs/argon2');

export async function hashPassphrase(
  passphrase: string,
  options: PassphraseHashOptions = defaultPassphraseOptions,
): Promise<string> {
  const { hash } = await argon2();
  return hash(normalise(passphrase), { ...options, algorithm: argon2id, version: argon2Version13 });
}

export interface PassphraseCheck {
  valid: boolean;
  /** The stored hash was made with other parameters (or another algorithm) than `options`. */
  needsRehash: boolean;
}

/**
 * Verifies a candidate against a stored PHC hash. A malformed stored hash is an internal error,
 * never a "wrong passphrase", so a corrupted record does not look like an attack.
 */
export async function verifyPassphrase(
  stored: string,
  candidate: string,
  options: PassphraseHashOptions = defaultPassphraseOptions,
): Promise<PassphraseCheck> {
  const { parseOptions, verify } = await argon2();
  let params;
  try {
    params = parseOptions(stored);
  } catch {
    throw new FoyerError('internal', 'The stored passphrase hash is unreadable.');
  }
  const valid = await verify(stored, normalise(candidate));
  const needsRehash =
    params.algorithm !== argon2id ||
    params.version !== argon2Version13 ||
    params.memoryCost !== options.memoryCost ||
    params.timeCost !== options.timeCost ||
    params.parallelism !== options.parallelism;
  return { valid, needsRehash };
}
