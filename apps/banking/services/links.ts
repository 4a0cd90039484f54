/**
 * The Banking app's service: runs in Foyer's sandbox when bank operations or bills change (and each
 * morning), links every operation to what it pays with the app's own logic, and keeps the result as
 * `app.banking.link` documents (one per linked operation, id `link-<operation id>`), so links are in
 * the space, exported with it and gone when the app is uninstalled. Only changed links are written.
 */
import type { ServiceApi, ServiceDocument } from '../../../src/sdk/service-api.js';
import { linkTransactions, type Link } from '../logic/links.js';
import type { BankAccount, BankTransaction, Bill, Contract, InsuranceClaim, Receipt } from '../logic/types.js';

declare const foyer: ServiceApi;

/** Optional scopes the person may have refused: what is not granted reads as nothing. */
async function optional(doctype: string): Promise<ServiceDocument[]> {
  try {
    return await foyer.query(doctype, {});
  } catch (e) {
    foyer.log(`${doctype} not readable: ${(e as Error).message}`);
    return [];
  }
}

const asContracts = (docs: ServiceDocument[], doctype: Contract['doctype']): Contract[] =>
  docs.map((d) => ({ ...(d as unknown as Contract), doctype }));

const same = (a: ServiceDocument, link: Link): boolean =>
  a.evidence === link.evidence && JSON.stringify(a.targets) === JSON.stringify(link.targets);

export default async function run(): Promise<void> {
  const [transactions, accounts, bills, receipts, claims, insurance, energy, telecom, stored] = await Promise.all([
    foyer.query('bank.transaction', {}),
    foyer.query('bank.account', {}),
    foyer.query('bill', {}),
    optional('retail.receipt'),
    optional('insurance.claim'),
    optional('insurance.contract'),
    optional('energy.contract'),
    optional('telecom.line'),
    foyer.query('app.banking.link', {}),
  ]);
  const { links } = linkTransactions({
    transactions: transactions as unknown as BankTransaction[],
    accounts: accounts as unknown as BankAccount[],
    bills: bills as unknown as Bill[],
    receipts: receipts as unknown as Receipt[],
    claims: claims as unknown as InsuranceClaim[],
    contracts: [
      ...asContracts(insurance, 'insurance.contract'),
      ...asContracts(energy, 'energy.contract'),
      ...asContracts(telecom, 'telecom.line'),
    ],
  });
  const byId = new Map(stored.map((d) => [d._id, d]));
  const computedAt = new Date().toISOString();
  let written = 0;
  for (const link of links.values()) {
    const id = `link-${link.transactionId}`;
    const old = byId.get(id);
    byId.delete(id);
    const body = { transactionId: link.transactionId, evidence: link.evidence, targets: link.targets, computedAt };
    if (!old) await foyer.create('app.banking.link', { _id: id, ...body });
    else if (!same(old, link)) await foyer.update('app.banking.link', { ...old, ...body });
    else continue;
    written++;
  }
  // Links whose operation or document went away.
  for (const old of byId.values()) await foyer.remove('app.banking.link', old._id, old._rev);
  foyer.log(`${links.size} operations linked, ${written} links written, ${byId.size} removed`);
}
