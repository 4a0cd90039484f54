/**
 * The person's own category model: a multinomial naive Bayes over an operation's features (label
 * words, counterparty words, card merchant code, operation type, sign and size of the amount),
 * trained only on the operations the person corrected. It abstains when the operation's label
 * words were never seen in the winning category's corrections, so that a correction about one
 * merchant does not drag unrelated operations along; the keyword rules answer then.
 */
import { ruleCategory } from './category-rules.js';
import { namingWords, words } from './text.js';
import type { BankTransaction, CategoryCorrection } from './types.js';

/** Amount size classes, roughly by factor three: a coffee, a meal, groceries, a bill, a rent, a salary. */
const sizeBounds = [5, 15, 50, 150, 500, 1500];

export function sizeBucket(amount: number): string {
  const a = Math.abs(amount);
  const i = sizeBounds.findIndex((b) => a < b);
  return `size:${i === -1 ? sizeBounds.length : i}`;
}

/** Label words are what matter most; the rest helps separate labels that share words. */
export function features(tx: BankTransaction): { label: string[]; all: string[] } {
  const label = [...new Set([...namingWords(tx.label), ...namingWords(tx.counterparty?.name ?? '')])];
  const all = [
    ...words(tx.label).map((w) => `w:${w}`),
    `sign:${tx.amount < 0 ? '-' : '+'}`,
    sizeBucket(tx.amount),
    ...(tx.type ? [`type:${tx.type}`] : []),
    ...(tx.merchantCategoryCode ? [`mcc:${tx.merchantCategoryCode}`] : []),
  ];
  return { label, all };
}

export interface CategoryModel {
  /** Categories learnt, with how many corrections taught each. */
  readonly classes: ReadonlyMap<string, number>;
  /** The category the corrections teach for this operation, or undefined when they say nothing about it. */
  predict(tx: BankTransaction): { category: string; probability: number } | undefined;
}

export interface ModelOptions {
  /** Laplace smoothing. */
  alpha?: number;
  /** Least share of the label's words seen in the winning category's corrections. */
  minOverlap?: number;
  /** Least posterior probability of the winning category. */
  minProbability?: number;
}

/** Trains on corrections: each names a transaction by id; later corrections of the same one win. */
export function trainCategoryModel(
  transactions: BankTransaction[],
  corrections: CategoryCorrection[],
  options: ModelOptions = {},
): CategoryModel {
  const alpha = options.alpha ?? 1;
  const minOverlap = options.minOverlap ?? 0.5;
  const minProbability = options.minProbability ?? 0.6;
  const byId = new Map(transactions.map((t) => [t._id, t]));
  const latest = new Map<string, CategoryCorrection>();
  for (const c of [...corrections].sort((a, b) => a.at.localeCompare(b.at))) latest.set(c.transactionId, c);

  const classCount = new Map<string, number>();
  const featureCount = new Map<string, Map<string, number>>();
  const featureTotal = new Map<string, number>();
  const labelWords = new Map<string, Set<string>>();
  const vocabulary = new Set<string>();
  for (const c of latest.values()) {
    const tx = byId.get(c.transactionId);
    if (!tx) continue;
    const f = features(tx);
    classCount.set(c.category, (classCount.get(c.category) ?? 0) + 1);
    const counts = featureCount.get(c.category) ?? new Map<string, number>();
    featureCount.set(c.category, counts);
    for (const x of f.all) {
      counts.set(x, (counts.get(x) ?? 0) + 1);
      vocabulary.add(x);
    }
    featureTotal.set(c.category, (featureTotal.get(c.category) ?? 0) + f.all.length);
    const seen = labelWords.get(c.category) ?? new Set<string>();
    labelWords.set(c.category, seen);
    for (const w of f.label) seen.add(w);
  }
  const examples = [...classCount.values()].reduce((s, n) => s + n, 0);

  return {
    classes: classCount,
    predict(tx) {
      if (examples === 0) return undefined;
      const f = features(tx);
      const scores: [string, number][] = [...classCount].map(([category, n]) => {
        const counts = featureCount.get(category) as Map<string, number>;
        const total = (featureTotal.get(category) as number) + alpha * (vocabulary.size + 1);
        let score = Math.log(n / examples);
        for (const x of f.all) score += Math.log(((counts.get(x) ?? 0) + alpha) / total);
        return [category, score];
      });
      scores.sort((a, b) => b[1] - a[1]);
      const [best, top] = scores[0] as [string, number];
      const sum = scores.reduce((s, [, v]) => s + Math.exp(v - top), 0);
      const probability = 1 / sum;
      const seen = labelWords.get(best) as Set<string>;
      const overlap = f.label.length === 0 ? 0 : f.label.filter((w) => seen.has(w)).length / f.label.length;
      if (overlap < minOverlap || probability < minProbability) return undefined;
      return { category: best, probability };
    },
  };
}

export type CategorySource = 'correction' | 'model' | 'rules';

export interface Categorised {
  category: string;
  source: CategorySource;
  /** The rule that gave a default category, or the model's probability. */
  why: string;
}

/**
 * Every operation's category: the person's own correction of it, else what the model trained on
 * their corrections predicts, else the keyword rules. The bank's own `category` is not used: it is
 * the bank's opinion, and the person's corrections are what the app learns from.
 */
export function categorise(
  transactions: BankTransaction[],
  corrections: CategoryCorrection[],
  options?: ModelOptions,
): Map<string, Categorised> {
  const model = trainCategoryModel(transactions, corrections, options);
  const corrected = new Map<string, string>();
  for (const c of [...corrections].sort((a, b) => a.at.localeCompare(b.at))) corrected.set(c.transactionId, c.category);
  const out = new Map<string, Categorised>();
  for (const tx of transactions) {
    const own = corrected.get(tx._id);
    if (own) {
      out.set(tx._id, { category: own, source: 'correction', why: 'corrected' });
      continue;
    }
    const predicted = model.predict(tx);
    if (predicted) {
      out.set(tx._id, { category: predicted.category, source: 'model', why: `p=${predicted.probability.toFixed(2)}` });
      continue;
    }
    const rule = ruleCategory(tx);
    out.set(tx._id, { category: rule.category, source: 'rules', why: rule.rule });
  }
  return out;
}
