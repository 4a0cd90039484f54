/**
 * SWIFT MT940 customer statements, as banks hand them to customers: with or without the SWIFT
 * blocks (`{1:...}{2:...}{4:` ... `-}`), with or without a bank's header lines before the first
 * `:20:`, several statements per file (one per account and day), CRLF or LF. Each statement's
 * account (`:25:`) and closing balance (`:62F:`) become a `bank.account`; each statement line
 * (`:61:`) with its information (`:86:`, see mt940-information.ts) one `bank.transaction`.
 * Streaming, line by line.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, ImportSource, Importer, ParseContext } from '../importer.js';
import { dayEndInstant, type Fail } from './bank-date-time.js';
import { typeFromGvc, typeFromSwiftCode, typeFromWording } from './bank-operation-types.js';
import {
  checkAccountId,
  createStatementRecords,
  meaningful,
  type BankLine,
  type StatementRecords,
} from './bank-statement-records.js';
import { dayStartInstant, normalizeIban } from './bank-values.js';
import { parseInformation } from './mt940-information.js';
import { parseBalance, parseStatementLine, type StatementLine } from './mt940-statement-line.js';

const TAG = /^:(\d{2}[A-Z]?):(.*)$/;
const BIC = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
/** Customer references that say nothing (ING writes EREF or PREF to say where the reference is). */
const EMPTY_REFERENCES = new Set(['NONREF', 'NOTPROVIDED', 'EREF', 'PREF', 'MARF', 'KREF', 'NONE']);

export const mt940Importer: Importer = {
  id: 'mt940',
  title: 'SWIFT MT940 bank statement',
  doctypes: ['bank.account', 'bank.transaction'],
  detect: detectMt940,
  parse: parseMt940,
};

function detectMt940(sample: ImportSample): number {
  const text = sample.text;
  const has = (tag: string) => new RegExp(`^(\\{4:)?:${tag}:`, 'm').test(text);
  if (!has('20') || !has('25')) return 0;
  if (has('60[FM]') && (has('61') || has('62[FM]'))) return 0.95;
  return has('61') ? 0.6 : 0.3;
}

interface Field {
  tag: string;
  lines: string[];
  line: number;
}

interface Statement {
  line: number;
  accountId?: string;
  currency?: string;
  closed: boolean;
  pending?: { parsed: StatementLine; line: number };
}

async function* parseMt940(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const records = createStatementRecords();
  let field: Field | undefined;
  let statement: Statement | undefined;
  let statements = 0;
  let headerBic: string | undefined;

  const handle = (f: Field): ImportRecord[] => {
    const fail: Fail = (message) => {
      throw importError(source.name, message, f.line);
    };
    const value = f.lines[0] ?? '';
    const out: ImportRecord[] = [];
    const flushPending = (information: string[] | undefined) => {
      if (statement?.pending) out.push(transaction(statement, statement.pending, information, records, ctx));
      if (statement) statement.pending = undefined;
    };
    if (f.tag === '20') {
      flushPending(undefined);
      if (statement && !statement.closed) closeWithoutBalance(statement, ctx);
      statement = { line: f.line, closed: false };
      statements++;
      return out;
    }
    if (!statement) return fail(`the field :${f.tag}: comes before any statement (:20:)`);
    const current = statement;
    switch (f.tag) {
      case '25': {
        const account = readAccount(f.lines.join(''), headerBic, fail);
        current.accountId = account.accountId;
        noteAccount(current, account, records);
        break;
      }
      case '60F':
      case '60M': {
        const balance = parseBalance(f.tag, value, ctx.now, fail);
        current.currency ??= balance.currency;
        if (current.accountId)
          records.account({ accountId: current.accountId, vendor: '', label: '', currency: balance.currency });
        break;
      }
      case '61': {
        flushPending(undefined);
        if (!current.accountId) fail('the statement line :61: comes before the account (:25:)');
        if (!current.currency)
          fail('the statement line :61: comes before the opening balance (:60F:) that gives the currency');
        // The second line, when there is one, holds the supplementary details.
        const parsed = parseStatementLine(value, ctx.now, fail);
        const more = f.lines.slice(1).join(' ').trim();
        if (more) parsed.supplementary = [parsed.supplementary, more].filter(Boolean).join(' ');
        current.pending = { parsed, line: f.line };
        break;
      }
      case '86':
        // An :86: right after a :61: describes it; one after the closing balance is about the statement.
        flushPending(f.lines);
        break;
      case '62F':
      case '62M': {
        flushPending(undefined);
        const balance = parseBalance(f.tag, value, ctx.now, fail);
        current.currency ??= balance.currency;
        if (current.accountId) {
          records.account({ accountId: current.accountId, vendor: '', label: '', currency: balance.currency });
          records.balance(current.accountId, balance.cents, dayEndInstant(balance.day, ctx.timeZone));
        }
        current.closed = true;
        break;
      }
      default:
        // :28C: statement number, :64: and :65: available balances, :21:... carry nothing kept.
        flushPending(undefined);
    }
    return out;
  };

  const endMessage = (): ImportRecord[] => {
    const out = field ? handle(field) : [];
    field = undefined;
    if (statement?.pending) out.push(transaction(statement, statement.pending, undefined, records, ctx));
    if (statement && !statement.closed) closeWithoutBalance(statement, ctx);
    statement = undefined;
    return out;
  };

  for await (const { n, text: raw } of source.lines()) {
    let text = raw;
    if (text.startsWith('{')) {
      // SWIFT blocks: {1:...}{2:...}{3:{...}}{4: then the fields; {5:...} is the trailer.
      const body = text.indexOf('{4:');
      if (body === -1) {
        for (const r of endMessage()) yield r;
        continue;
      }
      headerBic ??= bankBicOfBlocks(text);
      text = text.slice(body + 3);
      if (text.trim() === '') continue;
    }
    const trimmed = text.trim();
    if (trimmed === '-' || trimmed === '-}' || /^-\}?\{5:/.test(trimmed)) {
      for (const r of endMessage()) yield r;
      continue;
    }
    const tag = TAG.exec(text);
    if (tag) {
      if (field) for (const r of handle(field)) yield r;
      field = { tag: tag[1]!, lines: [tag[2]!], line: n };
    } else if (field) {
      field.lines.push(text);
    } else if (BIC.test(trimmed)) {
      // Bank header lines before the first field (ABN AMRO writes its BIC there).
      headerBic ??= trimmed;
    }
  }
  if (field) for (const r of handle(field)) yield r;
  field = undefined;
  if (statement?.pending) yield transaction(statement, statement.pending, undefined, records, ctx);
  if (statement && !statement.closed) {
    throw importError(
      source.name,
      "the file ends before the statement's closing balance (:62F:) (truncated?)",
      statement.line,
    );
  }
  if (statements === 0) throw importError(source.name, 'the file holds no MT940 statement (no :20: field).');
  for (const record of records.accounts()) yield record;
}

/**
 * The bank's BIC in the SWIFT headers: the sender of an output message (`{2:O940` then time, date
 * and the sender's address), or of an input message the basic header's address (`{1:F01BANKBIC...`).
 */
function bankBicOfBlocks(text: string): string | undefined {
  const output = /\{2:O\d{3}\d{10}([A-Z]{6}[A-Z0-9]{2})/.exec(text);
  if (output) return output[1];
  return /\{2:I/.test(text) ? /\{1:F\d\d([A-Z]{6}[A-Z0-9]{2})/.exec(text)?.[1] : undefined;
}

function closeWithoutBalance(statement: Statement, ctx: ParseContext): void {
  statement.closed = true;
  ctx.warn({ line: statement.line, message: 'this statement has no closing balance (:62F:)' });
}

function transaction(
  statement: Statement,
  pending: NonNullable<Statement['pending']>,
  information: string[] | undefined,
  records: StatementRecords,
  ctx: ParseContext,
): ImportRecord {
  const { parsed, line } = pending;
  const info = information ? parseInformation(information) : {};
  const customerReference = parsed.customerReference?.toUpperCase();
  const ownReference =
    customerReference && !EMPTY_REFERENCES.has(customerReference) ? meaningful(parsed.customerReference) : undefined;
  const bankReference = meaningful(parsed.bankReference);
  const label =
    info.label ?? meaningful(parsed.supplementary) ?? ownReference ?? info.bookingText ?? `MT940 ${parsed.typeCode}`;
  const extra: Record<string, unknown> = { transactionTypeCode: parsed.typeCode };
  if (info.gvc) extra.businessTransactionCode = info.gvc;
  if (parsed.reversal) extra.reversal = true;
  const bankLine: BankLine = {
    accountId: statement.accountId!,
    currency: statement.currency!,
    cents: parsed.cents,
    date: dayStartInstant(parsed.bookingDay, ctx.timeZone),
    day: parsed.bookingDay,
    label,
    // A bank reference is unique for the account at least within a day; keyed with its day.
    ...(bankReference ? { bankId: `${parsed.bookingDay}/${bankReference}` } : {}),
    valueDate: parsed.valueDay,
    type:
      typeFromSwiftCode(parsed.typeCode) ??
      typeFromGvc(info.gvc) ??
      typeFromWording(info.bookingText) ??
      typeFromWording(label),
    reference: info.reference ?? ownReference ?? bankReference,
    counterparty: { name: info.name, iban: info.iban, creditorId: info.creditorId, mandateReference: info.mandate },
    extra,
    line,
  };
  return records.transaction(bankLine);
}

interface Mt940Account {
  accountId: string;
  label: string;
  iban?: string;
  bic?: string;
  bankCode?: string;
}

/**
 * `:25:` as banks write it: an IBAN (Rabobank adds the currency: `NL44RABO0123456789EUR`), a
 * German `BLZ/account`, `BIC/IBAN`, a leading slash, or a plain account number.
 */
function readAccount(raw: string, headerBic: string | undefined, fail: Fail): Mt940Account {
  const written = raw.trim().replace(/^\/+/, '');
  const parts = written.split('/').map((p) => p.replace(/\s+/g, '').toUpperCase());
  const last = parts[parts.length - 1] ?? '';
  const iban = normalizeIban(last) ?? (/[A-Z]{3}$/.test(last) ? normalizeIban(last.slice(0, -3)) : undefined);
  const first = parts.length > 1 ? parts[0] : undefined;
  const bic = first && BIC.test(first) ? first : headerBic;
  if (iban) return { accountId: iban, label: written, iban, ...(bic ? { bic } : {}) };
  if (first) {
    return {
      accountId: checkAccountId(`${first}:${parts.slice(1).join('/')}`, fail),
      label: written,
      ...(bic ? { bic } : { bankCode: first }),
    };
  }
  return { accountId: checkAccountId(written.replace(/\s+/g, ''), fail), label: written, ...(bic ? { bic } : {}) };
}

function noteAccount(statement: Statement, account: Mt940Account, records: StatementRecords): void {
  records.account({
    accountId: account.accountId,
    vendor: account.bic ?? (account.bankCode ? `Bank ${account.bankCode}` : ''),
    label: account.label,
    currency: statement.currency ?? '',
    ...(account.iban ? { iban: account.iban } : {}),
    ...(account.bic ? { bic: account.bic } : {}),
  });
}
