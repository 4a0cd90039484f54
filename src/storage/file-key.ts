/**
 * FileStore keys and prefixes, checked the same way by every implementation before any I/O.
 *
 * A key is exactly `<space>/<file id>/<revision>`. A fixed depth keeps disk and S3 alike: on disk
 * a key can then never be both a file and the folder of another key. Segments are
 * `[A-Za-z0-9._-]`, at most 128 characters, and never start with a dot, which rules out `.` and
 * `..` and leaves dot-names free for the disk store's temporary files.
 */
import { FoyerError } from '../core/errors.js';

export const KEY_DEPTH = 3;
export const MAX_SEGMENT_LENGTH = 128;

const segmentPattern = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function checkSegments(value: unknown, what: string, minDepth: number, maxDepth: number): string[] {
  if (typeof value !== 'string' || value === '') {
    throw new FoyerError('invalid_name', `Invalid ${what}: it must be a non-empty string.`);
  }
  const segments = value.split('/');
  if (segments.length < minDepth || segments.length > maxDepth) {
    const depth = minDepth === maxDepth ? `${minDepth}` : `${minDepth} to ${maxDepth}`;
    throw new FoyerError('invalid_name', `Invalid ${what}: it must have ${depth} segments separated by "/".`);
  }
  for (const segment of segments) {
    if (segment.length > MAX_SEGMENT_LENGTH) {
      throw new FoyerError(
        'invalid_name',
        `Invalid ${what}: a segment is longer than ${MAX_SEGMENT_LENGTH} characters.`,
      );
    }
    if (!segmentPattern.test(segment)) {
      throw new FoyerError(
        'invalid_name',
        `Invalid ${what}: segments must be non-empty, made of A-Z a-z 0-9 . _ - and not start with a dot.`,
      );
    }
  }
  return segments;
}

/** The key's segments; `invalid_name` FoyerError if it is not `<space>/<file id>/<revision>`. */
export function fileKeySegments(key: string): string[] {
  return checkSegments(key, 'file key', KEY_DEPTH, KEY_DEPTH);
}

/** The prefix's segments: a space, or a space and a file id (`list` and `deletePrefix`). */
export function keyPrefixSegments(prefix: string): string[] {
  return checkSegments(prefix, 'file key prefix', 1, KEY_DEPTH - 1);
}

/** A store-wide namespace (e.g. the S3 store's `prefix` option): any depth, same segment rules. */
export function namespaceSegments(namespace: string): string[] {
  return checkSegments(namespace, 'storage prefix', 1, 16);
}
