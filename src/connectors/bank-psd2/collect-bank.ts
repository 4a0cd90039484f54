/**
 * A run of the bank connector (in the connector sandbox): checks the consent at the bank, then
 * reads every account, its booked balance and its transactions, booked and pending, following the
 * `_links.next` pages, and writes them by natural key (`accountId:transactionId`, the same for a
 * pending operation and the booked one it becomes, so booking updates it and never duplicates it).
 *
 * Incremental: the cursor keeps, per account, the bank's last published day seen (the balance's
 * reference day). The next run reads from a few days before it, the pending window plus a margin:
 * operations booked since then are updated, older days are not read again. The first run (and a
 * backfill) reads three years back.
 */
import { addDays, parisDate } from '../../../catalog/synthetic/time.js';
import type { CallPolicy } from '../holder-call.js';
import { historyStart } from '../history-start.js';
import { ConnectorError, type ConnectorContext } from '../sdk.js';
import { manifest } from './manifest.js';
import { psd2, type Psd2Client } from './psd2-api.js';
import { asArray, asObject } from '../holder-json.js';
import { accountOf, closingBookedOf, parisMidnightOf, transactionOf } from './psd2-records.js';

/** Pending card payments are booked within two days; read again that far back, and a day more. */
export const OVERLAP_DAYS = 3;

interface BankCursor {
  /** Per account id, the last day the bank had published at the previous run. */
  accounts: Record<string, string>;
}

/** The consent's state first (not a counted read): an expired one is said as such, with its end. */
async function checkConsent(bank: Psd2Client, consentId: string): Promise<void> {
  const path = `/v1/consents/${encodeURIComponent(consentId)}`;
  const status = asObject(await psd2(bank, `${path}/status`, 'the consent status'), 'the consent status');
  if (status.consentStatus === 'valid') return;
  const renew = `renew your consent at ${bank.bank} (connect the connector again; you log in at ${bank.bank}).`;
  if (status.consentStatus !== 'expired') {
    const said = String(status.consentStatus).slice(0, 30);
    throw new ConnectorError('user_action_needed', `${bank.bank} says Foyer's consent is ${said}: ${renew}`);
  }
  const consent = asObject(await psd2(bank, path, 'the consent'), 'the consent');
  const until = typeof consent.validUntil === 'string' ? ` after ${consent.validUntil.slice(0, 10)}` : '';
  throw new ConnectorError('user_action_needed', `Your consent at ${bank.bank} expired${until}: ${renew}`);
}

function cursorOf(value: unknown): BankCursor {
  const accounts = (value as Partial<BankCursor> | null)?.accounts;
  return { accounts: accounts && typeof accounts === 'object' ? { ...accounts } : {} };
}

export async function collectBank(ctx: ConnectorContext, policy: CallPolicy): Promise<void> {
  const { consentId } = await ctx.credentials();
  if (!consentId) throw new ConnectorError('user_action_needed', `Connect to ${manifest.holder.name} first.`);
  const bank: Psd2Client = { caller: ctx, api: ctx.api, bank: manifest.holder.name, policy, now: ctx.startedAt };
  const today = parisDate(ctx.startedAt);
  await checkConsent(bank, consentId);
  const cursor = cursorOf(ctx.cursor.get());
  const next: BankCursor = { accounts: {} };
  const listed = asArray(
    asObject(await psd2(bank, '/v1/accounts', 'the accounts', { consentId }), 'the accounts').accounts,
    'the accounts',
  );
  let done = 0;
  for (const [i, raw] of listed.entries()) {
    const account = accountOf(raw, bank.bank);
    const id = encodeURIComponent(account.accountId);
    const booked = closingBookedOf(
      await psd2(bank, `/v1/accounts/${id}/balances`, `the balances of ${account.accountId}`, { consentId }),
      `the balances of ${account.accountId}`,
    );
    await ctx.upsert(
      'bank.account',
      account.accountId,
      booked
        ? { ...account.data, balance: booked.balance, balanceDate: parisMidnightOf(addDays(booked.day, 1)) }
        : account.data,
    );

    const seen = cursor.accounts[account.accountId];
    const from = seen ? addDays(seen, -OVERLAP_DAYS) : historyStart(today);
    let href: string | null =
      `/v1/accounts/${id}/transactions?` + new URLSearchParams({ dateFrom: from, bookingStatus: 'both' }).toString();
    let last = seen ?? '';
    let pages = 0;
    while (href !== null) {
      const what = `the transactions of ${account.accountId}, page ${++pages}`;
      const page = asObject(await psd2(bank, href, what, { consentId }), what);
      const transactions = asObject(page.transactions, `${what}: transactions`);
      for (const [booking, list] of [
        ['booked', transactions.booked],
        ['pending', transactions.pending],
      ] as const) {
        if (list === undefined) continue;
        for (const t of asArray(list, `${what}: ${booking}`)) {
          const record = transactionOf(t, account.accountId, booking);
          await ctx.upsert('bank.transaction', record.key, record.data);
          if (record.day > last) last = record.day;
          done++;
        }
      }
      const links = transactions._links === undefined ? {} : asObject(transactions._links, `${what}: _links`);
      const nextLink = links.next === undefined ? null : asObject(links.next, `${what}: _links.next`).href;
      if (nextLink !== null && (typeof nextLink !== 'string' || nextLink === '')) {
        throw new ConnectorError('holder_format_changed', `${what}: _links.next has no href.`);
      }
      href = nextLink;
      ctx.progress({ done, message: `${String(account.data.label)}: ${done} transactions` });
    }
    // The bank's last published day, or failing a balance the last operation's day.
    const reached = booked?.day ?? last;
    if (reached) next.accounts[account.accountId] = reached;
    ctx.progress({ done, message: `account ${i + 1} of ${listed.length} read` });
  }
  ctx.cursor.set(next);
  ctx.log(`${listed.length} accounts, ${done} transactions read`);
}
