/**
 * A second factor asked of the person while a run waits. The question is a record in the space
 * (so any Foyer process can show it and take the answer); the answer goes into the credential
 * vault, encrypted, where the waiting run picks it up and removes it. Waits are in real time, at
 * most ten minutes, and do not count against the run's time limit.
 */
import type { Clock } from '../platform/clock.js';
import type { DocumentStore } from '../storage/document-store.js';
import { FoyerError, isFoyerError } from '../core/errors.js';
import { internalRecords } from '../core/internal-records.js';
import type { CredentialVault } from '../core/vault/credential-vault.js';
import { QUESTION_DOCTYPE } from './connector-records.js';
import { CapabilityError } from './run-errors.js';

export const MAX_SECOND_FACTOR_WAIT_MS = 10 * 60_000;
const POLL_MS = 200;

export interface SecondFactorQuestion {
  connector: string;
  run: string;
  prompt: string;
  /** ISO instant on Foyer's clock. */
  deadline: string;
  askedAt: string;
}

const answerRef = (connector: string) => `connector-${connector}-second-factor`;

export type SecondFactors = ReturnType<typeof createSecondFactors>;

export function createSecondFactors(deps: { store: DocumentStore; vault: CredentialVault; clock: Clock }) {
  const { vault, clock } = deps;
  const questions = internalRecords<SecondFactorQuestion>(deps.store, QUESTION_DOCTYPE);

  async function removeAnswer(space: string, connector: string): Promise<void> {
    await vault.remove(space, answerRef(connector)).catch((e: unknown) => {
      if (!isFoyerError(e) || e.code !== 'not_found') throw e;
    });
  }

  return {
    /** How long a deadline given by a connector (ISO instant or ms from now) lets the person answer. */
    waitFor(deadline: string | number): number {
      const ms = typeof deadline === 'number' ? deadline : Date.parse(deadline) - clock.now();
      if (!Number.isFinite(ms)) throw new CapabilityError('internal', 'askSecondFactor: the deadline is not a date.');
      return Math.max(0, Math.min(MAX_SECOND_FACTOR_WAIT_MS, ms));
    },

    /** Asks and waits; resolves with the answer, or fails with `second_factor_needed` at the deadline. */
    async ask(
      space: string,
      question: { connector: string; run: string; prompt: string; waitMs: number },
      onAsked: (q: SecondFactorQuestion) => void,
      signal?: AbortSignal,
    ): Promise<string> {
      const { connector } = question;
      const askedAt = new Date(clock.now()).toISOString();
      const record: SecondFactorQuestion = {
        connector,
        run: question.run,
        prompt: question.prompt,
        deadline: new Date(clock.now() + question.waitMs).toISOString(),
        askedAt,
      };
      await removeAnswer(space, connector);
      const previous = await questions.get(space, connector);
      await questions.put(space, connector, record, previous?.doc ?? null, askedAt);
      onAsked(record);
      const until = performance.now() + question.waitMs;
      try {
        while (performance.now() < until && !signal?.aborted) {
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          const answer = await vault.get(space, answerRef(connector)).catch((e: unknown) => {
            if (isFoyerError(e) && e.code === 'not_found') return null;
            throw e;
          });
          if (answer) return answer.values.answer ?? '';
        }
        throw new CapabilityError('second_factor_needed', 'No second factor was given before the deadline.');
      } finally {
        await removeAnswer(space, connector);
        const current = await questions.get(space, connector);
        if (current && current.data.run === question.run) await questions.remove(space, [current.doc]);
      }
    },

    async question(space: string, connector: string): Promise<SecondFactorQuestion | null> {
      const found = await questions.get(space, connector);
      if (!found || Date.parse(found.data.deadline) <= clock.now()) return null;
      return found.data;
    },

    /** The person's answer; `conflict` when no run is waiting for one. */
    async answer(space: string, connector: string, answer: string): Promise<void> {
      const found = await questions.get(space, connector);
      if (!found || Date.parse(found.data.deadline) <= clock.now()) {
        throw new FoyerError('conflict', `No run of ${connector} is waiting for a second factor.`, { connector });
      }
      await vault.put(space, answerRef(connector), {
        kind: 'other',
        values: { answer },
        label: `Second factor for ${connector}`,
      });
    },
  };
}
