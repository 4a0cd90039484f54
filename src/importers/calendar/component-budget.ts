/**
 * How much of one component (a VEVENT or VTIMEZONE, a vCard) is kept in memory while it is read:
 * without a bound, a hostile file could make one component hold thousands of 256 KB lines.
 */
import type { ContentLine } from './content-line.js';

export interface ComponentBudget {
  /** A new component starts. */
  reset(): void;
  /** True when `line` still fits; the first line that does not is passed to `onFull`. */
  admit(line: ContentLine): boolean;
}

export function createComponentBudget(
  limits: { lines: number; chars: number },
  onFull: (line: ContentLine) => void,
): ComponentBudget {
  let lines = 0;
  let chars = 0;
  let full = false;
  return {
    reset() {
      lines = 0;
      chars = 0;
      full = false;
    },
    admit(line) {
      if (lines < limits.lines && chars + line.value.length <= limits.chars) {
        lines++;
        chars += line.value.length;
        return true;
      }
      if (!full) {
        full = true;
        onFull(line);
      }
      return false;
    },
  };
}
