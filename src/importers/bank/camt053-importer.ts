/**
 * ISO 20022 bank-to-customer statements (CAMT.053, `camt.053.001.02` to `.08`): several statements
 * (`Stmt`) per file, one per account and day; the account and its closing balance become a
 * `bank.account`, each entry (`Ntry`) one or more `bank.transaction`s (see camt053-entry.ts).
 * Streaming: the statement's header pieces and its entries are read one element at a time.
 * Namespace prefixes are ignored, and a missing or unusual namespace is tolerated.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, ImportSource, Importer, ParseContext } from '../importer.js';
import { child, textAt, type XmlElement } from '../xml/xml-elements.js';
import { xmlElements } from '../xml/xml-elements.js';
import { balanceInstant, type Fail } from './bank-date-time.js';
import {
  checkAccountId,
  checkCents,
  checkCurrency,
  createStatementRecords,
  meaningful,
  type BankAccountType,
  type StatementRecords,
} from './bank-statement-records.js';
import { centsOf, normalizeIban } from './bank-values.js';
import { entryLines, readDate, readSign } from './camt053-entry.js';

const CAMT053_NAMESPACE = /urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})/;
const STATEMENT_ROOT = /<([A-Za-z_][\w.-]*:)?BkToCstmrStmt[\s>/]/;
/** Versions whose layout this importer was written against. */
const KNOWN_VERSIONS = new Set(['02', '03', '04', '05', '06', '07', '08']);

const ACCOUNT_TYPES: Record<string, BankAccountType> = {
  CACC: 'checking',
  CASH: 'checking',
  TRAN: 'checking',
  SVGS: 'savings',
  LOAN: 'loan',
  CARD: 'card',
  MGLD: 'loan',
};

export const camt053Importer: Importer = {
  id: 'camt053',
  title: 'ISO 20022 bank statement (CAMT.053, versions .02 to .08)',
  doctypes: ['bank.account', 'bank.transaction'],
  detect: detectCamt053,
  parse: parseCamt053,
  async describe(source) {
    const version = CAMT053_NAMESPACE.exec(source.sample.text)?.[1];
    return { version: version ? `camt.053.001.${version}` : 'unknown (no namespace)' };
  },
};

function detectCamt053(sample: ImportSample): number {
  const text = sample.text;
  if (!/^\s*</.test(text)) return 0;
  const root = STATEMENT_ROOT.test(text);
  const namespace = CAMT053_NAMESPACE.test(text);
  if (root && namespace) return 0.98;
  if (root) return 0.9;
  return namespace ? 0.6 : 0;
}

interface Statement {
  accountId?: string;
  currency?: string;
  /** Closing balances read before the account (out of schema order): kept until it comes. */
  balances: XmlElement[];
}

async function* parseCamt053(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const records = createStatementRecords();
  // xmlElements yields the Stmt children in document order, after they close; the statement each
  // belongs to is noted when it is matched, in the same order.
  const statementOf: number[] = [];
  let statements = 0;
  let version: string | undefined;
  let otherMessage: string | undefined;
  const elements = xmlElements(source, {
    match: (path) => {
      const n = path.length;
      if (n < 3 || path[n - 2] !== 'Stmt' || path[n - 3] !== 'BkToCstmrStmt') return false;
      statementOf.push(statements);
      return true;
    },
    onOpen: (path, attrs) => {
      if (path.length === 1) {
        for (const value of Object.values(attrs)) {
          const m = CAMT053_NAMESPACE.exec(value);
          if (m) version = m[1];
          else if (/camt\.\d{3}\.\d{3}\.\d{2}/.test(value)) otherMessage ??= value;
        }
      }
      const n = path.length;
      if (path[n - 1] === 'Stmt' && path[n - 2] === 'BkToCstmrStmt') statements++;
    },
  });

  let current: Statement = { balances: [] };
  let currentNumber = 0;
  let warnedVersion = false;
  for await (const el of elements) {
    if (!warnedVersion) {
      warnedVersion = true;
      if (version === undefined && otherMessage) {
        throw importError(source.name, `this is not a CAMT.053 statement (namespace ${otherMessage.slice(0, 80)}).`, 1);
      }
      if (version !== undefined && !KNOWN_VERSIONS.has(version)) {
        ctx.warn({ message: `camt.053.001.${version} is not one of the versions .02 to .08; read as the closest.` });
      }
    }
    const number = statementOf.shift() ?? currentNumber;
    if (number !== currentNumber) {
      current = { balances: [] };
      currentNumber = number;
    }
    const fail: Fail = (message) => {
      throw importError(source.name, message, el.line);
    };
    if (el.local === 'Acct') {
      const account = readAccount(el, ctx, fail);
      current.accountId = account.accountId;
      current.currency = account.currency;
      records.account(account.info);
      for (const balance of current.balances.splice(0)) noteBalance(balance, current, records, ctx, source.name);
    } else if (el.local === 'Bal') {
      if (current.accountId) noteBalance(el, current, records, ctx, source.name);
      else current.balances.push(el);
    } else if (el.local === 'Ntry') {
      if (!current.accountId) fail('the statement (Stmt) has no account (Acct) before its entries');
      const lines = entryLines(el, {
        file: source.name,
        accountId: current.accountId!,
        timeZone: ctx.timeZone,
        now: ctx.now,
        warn: ctx.warn,
      });
      for (const line of lines) {
        noteCurrency(current, line.currency, records);
        yield records.transaction(line);
      }
    }
  }
  if (statements === 0) {
    throw importError(source.name, 'the file holds no bank-to-customer statement (BkToCstmrStmt/Stmt).');
  }
  for (const record of records.accounts()) yield record;
}

function noteBalance(
  el: XmlElement,
  statement: Statement,
  records: StatementRecords,
  ctx: ParseContext,
  file: string,
): void {
  const failAt =
    (at: XmlElement | undefined): Fail =>
    (message) => {
      throw importError(file, message, (at ?? el).line);
    };
  const code = (textAt(el, 'Tp', 'CdOrPrtry', 'Cd') ?? textAt(el, 'Tp', 'CdOrPrtry', 'Prtry') ?? '').toUpperCase();
  const amountEl = child(el, 'Amt');
  if (!amountEl) return failAt(el)('the balance (Bal) has no amount (Amt)');
  const text = amountEl.text.trim();
  const m = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(text);
  if (!m) return failAt(amountEl)(`the balance "${text.slice(0, 40)}" is not a number`);
  const cents = checkCents(centsOf(m[1]!, m[2] ?? ''), text, failAt(amountEl));
  const currency = checkCurrency(amountEl.attrs.Ccy ?? statement.currency ?? '', failAt(amountEl));
  const sign = readSign(textAt(el, 'CdtDbtInd'), failAt(child(el, 'CdtDbtInd')));
  const date = readDate(child(el, 'Dt'), ctx, failAt);
  // Only the closing booked balance is the account's balance; opening, available and forward
  // balances are checked (a corrupt one still fails the file) but not kept.
  if (code !== 'CLBD' || !date || !statement.accountId) return;
  noteCurrency(statement, currency, records);
  records.balance(statement.accountId, sign * cents, balanceInstant(date, ctx.timeZone));
}

/** An account that did not state its currency takes the first one its balances or entries use. */
function noteCurrency(statement: Statement, currency: string, records: StatementRecords): void {
  if (statement.currency || !statement.accountId) return;
  statement.currency = currency;
  records.account({ accountId: statement.accountId, vendor: '', label: '', currency });
}

function readAccount(acct: XmlElement, ctx: ParseContext, fail: Fail) {
  const iban = textAt(acct, 'Id', 'IBAN')?.replace(/\s+/g, '').toUpperCase();
  const other = meaningful(textAt(acct, 'Id', 'Othr', 'Id'));
  const servicer = child(acct, 'Svcr');
  const institution = servicer && child(servicer, 'FinInstnId');
  const bic = institution && (textAt(institution, 'BICFI') ?? textAt(institution, 'BIC'))?.toUpperCase();
  const bankName = institution && meaningful(textAt(institution, 'Nm'));
  const bankId = bic ?? (institution && meaningful(textAt(institution, 'Othr', 'Id')));
  const accountId = checkAccountId(
    iban || (other ? (bankId ? `${bankId}:${other}` : other) : (ctx.options.accountId ?? 'default')),
    fail,
  );
  const declared = textAt(acct, 'Ccy');
  const currency = declared ? checkCurrency(declared, fail) : undefined;
  const owner = meaningful(textAt(acct, 'Ownr', 'Nm') ?? textAt(acct, 'Ownr', 'Pty', 'Nm'));
  const name = meaningful(textAt(acct, 'Nm'));
  const type = ACCOUNT_TYPES[(textAt(acct, 'Tp', 'Cd') ?? '').toUpperCase()];
  return {
    accountId,
    currency,
    info: {
      accountId,
      vendor: bankName ?? bic ?? '',
      label: name ?? (owner ? `${owner} ${iban || other || ''}`.trim() : accountId),
      currency: currency ?? '',
      ...(type ? { type } : {}),
      ...(iban && normalizeIban(iban) ? { iban } : {}),
      ...(bic ? { bic } : {}),
      ...(owner ? { holders: [owner] } : {}),
    },
  };
}
