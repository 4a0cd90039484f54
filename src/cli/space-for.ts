import type { FoyerConfig } from '../app/config.js';
import { FoyerError } from '../core/errors.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';

/** Embedded mode has one obvious space; hosted mode needs to be told. */
export function spaceFor(config: FoyerConfig, space: string | undefined): string {
  if (space) return space;
  if (config.mode === 'embedded') return DEFAULT_SPACE;
  throw new FoyerError('bad_request', 'In hosted mode, name the space with --space ID.');
}
