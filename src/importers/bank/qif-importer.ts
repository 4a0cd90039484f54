/**
 * QIF (Quicken Interchange Format) files into bank.account and bank.transaction: `!Type:Bank`,
 * `CCard`, `Cash`, `Oth A`, `Oth L` sections, `!Account` blocks (with or without
 * `!Option:AutoSwitch`), records ended by `^`. Two passes over the file: the first settles the
 * date order and the decimal mark (qif-conventions.ts), the second reads the records.
 *
 * QIF has no ids: every operation is keyed by its fingerprint (bank-fingerprint.ts). Nor does it
 * have a currency: amounts are taken as euros. Operations outside any `!Account` block go to
 * `ctx.options.accountId`, else to the account `default`. See docs/importers/bank-ofx-qif.md.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, ImportSource, Importer, ParseContext } from '../importer.js';
import { createFingerprinter } from './bank-fingerprint.js';
import { qifConventions } from './qif-conventions.js';
import { qifHeader, type QifSection } from './qif-lines.js';
import {
  qifAccount,
  qifAccountType,
  qifTransaction,
  type QifAccount,
  type QifContext,
  type QifRecord,
} from './qif-records.js';

/** QIF names no currency; Foyer's people bank in euros. */
const QIF_CURRENCY = 'EUR';

/** By content: the first line that is not blank is a QIF header. */
export function detectQif(sample: ImportSample): number {
  const first = /^\s*([^\r\n]*)/.exec(sample.text)?.[1]?.trimEnd() ?? '';
  const header = qifHeader(first);
  if (!header) return 0;
  if (header.kind === 'type') return header.section === 'unknown' ? 0.6 : 0.95;
  return 0.9;
}

async function* parseQif(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const conventions = await qifConventions(source, ctx);
  if (conventions.warning) ctx.warn(conventions.warning);
  const qctx: QifContext = {
    file,
    conventions,
    timeZone: ctx.timeZone,
    now: ctx.now,
    warn: (line, message) => ctx.warn({ line, message }),
  };
  const fingerprint = createFingerprinter();
  const fallback: QifAccount = {
    accountId: ctx.options.accountId ?? 'default',
    label: ctx.options.accountId ?? 'default',
    type: 'other',
  };
  const accounts = new Map<string, QifAccount>();
  let usedFallback = false;
  let current: QifAccount | undefined;
  let section: QifSection | 'none' | 'accounts' = 'none';
  /** The kind of account the current `!Type:` section is for (`CCard`: a card). */
  let sectionAccountType = fallback.type;
  /** Between `!Option:AutoSwitch` and `!Clear:AutoSwitch`, `!Account` records list accounts. */
  let accountList = false;
  let record: QifRecord | undefined;
  let transactions = 0;

  const endRecord = (): ImportRecord | undefined => {
    const r = record;
    record = undefined;
    if (!r) return undefined;
    if (section === 'accounts') {
      const account = qifAccount(r, qctx);
      if (account) {
        accounts.set(account.accountId, { ...accounts.get(account.accountId), ...account });
        if (!accountList) current = account;
      }
      return undefined;
    }
    if (section !== 'transactions') return undefined;
    if (!current && !usedFallback) {
      usedFallback = true;
      fallback.type = sectionAccountType;
    }
    const account = current ?? fallback;
    const t = qifTransaction(r, account, QIF_CURRENCY, qctx);
    transactions++;
    const key = fingerprint({
      accountId: account.accountId,
      day: t.day,
      amount: t.data.amount as number,
      label: t.data.label as string,
    });
    return { kind: 'document', doctype: 'bank.transaction', key, data: t.data, line: r.line };
  };

  let lastLine = 0;
  for await (const { n, text } of source.lines()) {
    lastLine = n;
    // Some programs indent lines; a field code is never a space.
    const line = text.trim();
    if (line === '') continue;
    if (line.startsWith('!')) {
      const header = qifHeader(line);
      if (record) {
        ctx.warn({
          line: n,
          message: `the record started at line ${record.line} is not ended by "^" before this header: ended here.`,
        });
        const done = endRecord();
        if (done) yield done;
      }
      if (!header) {
        ctx.warn({ line: n, message: `"${line.slice(0, 40)}" is not a QIF header Foyer knows: ignored.` });
      } else if (header.kind === 'account') {
        section = 'accounts';
      } else if (header.kind === 'option') {
        if (header.name === 'option:autoswitch') accountList = true;
        if (header.name === 'clear:autoswitch') accountList = false;
      } else {
        section = header.section;
        sectionAccountType = qifAccountType(header.name);
        if (section !== 'transactions') {
          const why =
            section === 'investments'
              ? 'investment operations are not imported'
              : section === 'list'
                ? 'it lists no bank operations'
                : 'Foyer does not know this kind of section';
          ctx.warn({ line: n, message: `the section "${line.slice(0, 40)}" is skipped: ${why}.` });
        }
      }
      continue;
    }
    if (line.startsWith('^')) {
      const done = endRecord();
      if (done) yield done;
      continue;
    }
    if (section === 'none') {
      throw importError(file, 'a record comes before any "!Type:" or "!Account" header: this is not a QIF file.', n);
    }
    record ??= { fields: [], line: n };
    if (record.fields.length >= 10_000) {
      throw importError(file, `the record started at line ${record.line} never ends: the file is corrupt.`, n);
    }
    record.fields.push({ code: line.charAt(0), value: line.slice(1), line: n });
  }
  if (record) {
    throw importError(
      file,
      `the file ends inside the record started at line ${record.line} (no "^"): it looks cut short.`,
      lastLine,
    );
  }
  if (transactions === 0 && accounts.size === 0) {
    throw importError(file, 'the file holds no bank operation and no account.');
  }
  // An account the person chose already exists: its document is not overwritten with less.
  if (usedFallback && ctx.options.accountId === undefined) accounts.set(fallback.accountId, fallback);
  for (const account of accounts.values()) {
    const data: Record<string, unknown> = {
      accountId: account.accountId,
      vendor: 'Unknown bank',
      label: account.label,
      type: account.type,
      currency: QIF_CURRENCY,
    };
    if (account.balance !== undefined) data.balance = account.balance;
    if (account.balanceDate !== undefined) data.balanceDate = account.balanceDate;
    if (account.description) data.extra = { description: account.description };
    yield { kind: 'document', doctype: 'bank.account', key: `account:${account.accountId}`, data };
  }
}

export const qifImporter: Importer = {
  id: 'qif',
  title: 'QIF bank statement (Quicken Interchange Format)',
  doctypes: ['bank.account', 'bank.transaction'],
  detect: detectQif,
  parse: parseQif,
  async describe(source, ctx) {
    const { dateOrder, decimalMark, dateOrderFrom } = await qifConventions(source, ctx);
    return { dateOrder, dateOrderFrom, decimalMark, currency: QIF_CURRENCY };
  },
};
