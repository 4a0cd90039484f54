/**
 * Byte-range semantics shared by every FileStore, following HTTP (RFC 9110 §14.1.2): an end past
 * the last byte is clipped to it; a start at or past the size (any range of an empty blob) is not
 * satisfiable. The HTTP layer answers 206 or 416 from these.
 */
import { FoyerError } from '../core/errors.js';
import type { ByteRange } from './file-store.js';

/** `bad_request` FoyerError unless `0 <= start <= end`, both integers. */
export function assertByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
    throw new FoyerError('bad_request', 'Invalid byte range: start and end must be integers with 0 <= start <= end.');
  }
}

/** The range actually served from a blob of `size` bytes, or a `range_not_satisfiable` FoyerError. */
export function clipByteRange(range: ByteRange, size: number): ByteRange {
  assertByteRange(range);
  if (range.start >= size) {
    throw new FoyerError('range_not_satisfiable', 'The requested range starts past the end of the file.', { size });
  }
  return { start: range.start, end: Math.min(range.end, size - 1) };
}
