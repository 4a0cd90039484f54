/** Runs checks one after the other and records how each ended. */
import type { ConformanceCheck } from './conformance-report.js';
import { CheckFailure } from './conformance-client.js';

/** Thrown by a check that does not apply (no data to check it on). */
export class CheckSkipped extends Error {}

export function ensure(condition: unknown, reason: string): asserts condition {
  if (!condition) throw new CheckFailure(reason);
}

export function createRecorder(onCheck?: (check: ConformanceCheck) => void) {
  const checks: ConformanceCheck[] = [];
  const record = (check: ConformanceCheck) => {
    checks.push(check);
    onCheck?.(check);
  };
  return {
    checks,
    /** The check's result, or undefined when it failed or was skipped (what depends on it cannot run). */
    async check<T>(id: string, title: string, fn: () => Promise<T>): Promise<T | undefined> {
      try {
        const value = await fn();
        record({ id, title, status: 'pass' });
        return value;
      } catch (e) {
        if (e instanceof CheckSkipped) record({ id, title, status: 'skip', reason: e.message });
        else if (e instanceof CheckFailure) record({ id, title, status: 'fail', reason: e.message });
        else record({ id, title, status: 'fail', reason: `unexpected error: ${(e as Error).message}` });
        return undefined;
      }
    },
    /** Records every planned check that never ran because something it needs failed first. */
    notReached(planned: Record<string, string>) {
      const done = new Set(checks.map((c) => c.id));
      for (const [id, title] of Object.entries(planned)) {
        if (!done.has(id)) record({ id, title, status: 'skip', reason: 'not run: a check it depends on failed' });
      }
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;
