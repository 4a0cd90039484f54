import { FoyerError } from '../core/errors.js';

/**
 * The error for a file that cannot be imported, naming the file and, where it applies, the line:
 * "releve.ofx, line 12: the amount "12,3,4" is not a number".
 */
export function importError(
  file: string,
  message: string,
  line?: number,
  details?: Record<string, unknown>,
): FoyerError {
  const where = line === undefined ? file : `${file}, line ${line}`;
  return new FoyerError('import_invalid', `${where}: ${message}`, {
    file,
    ...(line !== undefined ? { line } : {}),
    ...details,
  });
}
