/**
 * Warnings of one file, capped: a damaged file can have a bad line every few bytes, and a preview
 * listing 100,000 of them helps no one. Past the cap, warnings are counted and summed up once.
 */
import type { ParseContext } from '../importer.js';

export interface CappedWarnings {
  warn(line: number | undefined, message: string): void;
  /** Reports how many were left out, if any. */
  finish(): void;
}

export function createCappedWarnings(ctx: ParseContext, cap = 500): CappedWarnings {
  let given = 0;
  let dropped = 0;
  return {
    warn(line, message) {
      if (given >= cap) {
        dropped++;
        return;
      }
      given++;
      ctx.warn(line === undefined ? { message } : { line, message });
    },
    finish() {
      if (dropped > 0) ctx.warn({ message: `${dropped} more warnings like the ones above are not listed` });
    },
  };
}
