/**
 * The tutorial app's service: runs in Foyer's sandbox (no network, no Node), reads the debits
 * through `foyer.query` and records each one above 100 (in the account's currency) once.
 */
import type { ServiceApi } from '@foyer/sdk';

declare const foyer: ServiceApi;

const THRESHOLD = -100;

export default async function run(): Promise<void> {
  const debits = await foyer.query('bank.transaction', { selector: { amount: { $lt: THRESHOLD } } });
  const known = new Set((await foyer.query('app.big-spends.alert', {})).map((a) => a.transactionId as string));
  let added = 0;
  for (const tx of debits) {
    if (known.has(tx._id)) continue;
    await foyer.create('app.big-spends.alert', {
      _id: `tx-${tx._id}`,
      transactionId: tx._id,
      date: tx.date,
      label: tx.label,
      amount: tx.amount,
    });
    added++;
  }
  if (added > 0) await foyer.notify({ en: `${added} new large debits`, fr: `${added} nouveaux gros débits` });
}
