/**
 * Warnings by kind, for files where one kind of skipped line can repeat thousands of times (a
 * load curve with a month of empty values): the first few of each kind are reported with their
 * line, then one summary says how many more there were. Keeps the preview readable and memory
 * bounded.
 */
import type { ParseContext } from '../importer.js';

export interface WarningTally {
  warn(kind: string, message: string, line?: number): void;
  /** Reports the counts of the warnings held back. Call once, at the end of the file. */
  flush(): void;
}

export function createWarningTally(ctx: ParseContext, perKind = 5): WarningTally {
  const counts = new Map<string, { shown: number; hidden: number; firstHiddenLine?: number }>();
  return {
    warn(kind, message, line) {
      const count = counts.get(kind) ?? { shown: 0, hidden: 0 };
      counts.set(kind, count);
      if (count.shown < perKind) {
        count.shown++;
        ctx.warn(line === undefined ? { message } : { line, message });
      } else {
        count.hidden++;
        count.firstHiddenLine ??= line;
      }
    },
    flush() {
      for (const [kind, count] of counts) {
        if (count.hidden === 0) continue;
        const from = count.firstHiddenLine === undefined ? '' : ` from line ${count.firstHiddenLine} on`;
        ctx.warn({
          ...(count.firstHiddenLine === undefined ? {} : { line: count.firstHiddenLine }),
          message: `${count.hidden} more lines${from} were skipped for the same reason (${kind}).`,
        });
      }
      counts.clear();
    },
  };
}
