/**
 * One CAMT.053 entry (`Ntry`) as bank lines. An entry is one booking on the account; a batch
 * booking holds several transactions (`NtryDtls/TxDtls`). When every transaction of a batch states
 * its own amount, in the entry's currency, and those amounts add up to the entry's, the entry
 * becomes one line per transaction (what a person expects to see: each direct debit of a batch
 * with its creditor); otherwise it stays one line, as booked.
 */
import { importError } from '../import-error.js';
import type { ImportWarning } from '../importer.js';
import { child, textAt, type XmlElement } from '../xml/xml-elements.js';
import { parseIsoDate, type BankDate, type Fail } from './bank-date-time.js';
import {
  typeFromCfonbCode,
  typeFromGvc,
  typeFromIsoCode,
  typeFromSwiftCode,
  typeFromWording,
  type BankOperationType,
} from './bank-operation-types.js';
import { checkCents, checkCurrency, meaningful, type BankLine } from './bank-statement-records.js';
import { bankLabel, centsOf } from './bank-values.js';

export interface EntryContext {
  file: string;
  accountId: string;
  timeZone: string;
  now: number;
  warn(warning: ImportWarning): void;
}

export function entryLines(ntry: XmlElement, ctx: EntryContext): BankLine[] {
  const failAt =
    (el: XmlElement | undefined): Fail =>
    (message) => {
      throw importError(ctx.file, message, (el ?? ntry).line);
    };
  const amountEl = child(ntry, 'Amt');
  if (!amountEl) return failAt(ntry)('the entry (Ntry) has no amount (Amt)');
  const amount = readAmount(amountEl, failAt(amountEl));
  const sign = readSign(textAt(ntry, 'CdtDbtInd'), failAt(child(ntry, 'CdtDbtInd')));

  const status = (textAt(ntry, 'Sts', 'Cd') ?? textAt(ntry, 'Sts') ?? 'BOOK').toUpperCase();
  if (status === 'INFO') {
    ctx.warn({ line: ntry.line, message: 'an information-only entry (status INFO) is not an operation: skipped' });
    return [];
  }
  const booking = readDate(child(ntry, 'BookgDt'), ctx, failAt);
  const value = readDate(child(ntry, 'ValDt'), ctx, failAt);
  const when = booking ?? value;
  if (!when) return failAt(ntry)('the entry (Ntry) has neither a booking date (BookgDt) nor a value date (ValDt)');

  const servicerRef = meaningful(textAt(ntry, 'AcctSvcrRef'));
  const entryRef = meaningful(textAt(ntry, 'NtryRef'));
  // The servicer's reference is unique for the account; an entry reference is only sure to be
  // unique within its statement, so it is keyed with its booking day.
  const entryId = servicerRef ?? (entryRef ? `${when.day}/${entryRef}` : undefined);
  const entryCode = readBankCode(child(ntry, 'BkTxCd'));
  const entryInfo = meaningful(textAt(ntry, 'AddtlNtryInf'));
  const transactions = ntry.children
    .filter((c) => c.local === 'NtryDtls')
    .flatMap((d) => d.children.filter((c) => c.local === 'TxDtls'));

  const base: Omit<BankLine, 'cents' | 'label'> = {
    accountId: ctx.accountId,
    currency: amount.currency,
    date: when.instant,
    day: when.day,
    ...(value ? { valueDate: value.day } : {}),
    ...(status === 'PDNG' || status === 'FUTR' ? { pending: true } : {}),
    line: ntry.line,
  };
  const entryCard = cardLast4(ntry);
  const reversal = textAt(ntry, 'RvslInd')?.toLowerCase() === 'true';
  const details = transactions.map((tx) => readTransaction(tx, sign, ctx, failAt));

  if (details.length >= 2 && batchAddsUp(details, amount.currency, sign * amount.cents)) {
    return details.map((tx, i) =>
      lineFrom(base, tx, {
        cents: tx.cents!,
        bankId: entryId ? `${entryId}/${i + 1}` : undefined,
        code: tx.code ?? entryCode,
        entryInfo,
        servicerRef,
        card: entryCard,
        reversal,
      }),
    );
  }
  const single = details.length === 1 ? details[0] : undefined;
  const batchInfo = details.length >= 2 ? `Batch of ${details.length} transactions` : undefined;
  return [
    lineFrom(base, single ?? emptyTransaction(), {
      cents: sign * amount.cents,
      bankId: entryId,
      code: single?.code ?? entryCode,
      entryInfo: entryInfo ?? batchInfo,
      servicerRef,
      card: entryCard,
      reversal,
    }),
  ];
}

interface Amount {
  cents: number;
  currency: string;
}

interface BankCode {
  type?: BankOperationType;
  written: string;
}

interface Transaction {
  /** Signed, when the transaction states its own amount. */
  cents?: number;
  currency?: string;
  original?: Amount;
  code?: BankCode;
  name?: string;
  iban?: string;
  creditorId?: string;
  mandate?: string;
  remittance?: string;
  reference?: string;
  info?: string;
  card?: string;
  accepted?: BankDate;
}

function lineFrom(
  base: Omit<BankLine, 'cents' | 'label'>,
  tx: Transaction,
  at: {
    cents: number;
    bankId: string | undefined;
    code: BankCode | undefined;
    entryInfo: string | undefined;
    servicerRef: string | undefined;
    card: string | undefined;
    reversal: boolean;
  },
): BankLine {
  const label = bankLabel(tx.name, tx.remittance ?? tx.info ?? at.entryInfo) ?? at.entryInfo ?? at.code?.written ?? '';
  const extra: Record<string, unknown> = {};
  if (at.code) extra.bankTransactionCode = at.code.written;
  // The sign already says which way the money went; a reversal is flagged for apps that pair them.
  if (at.reversal) extra.reversal = true;
  const line: BankLine = {
    ...base,
    cents: at.cents,
    label,
    ...(at.bankId ? { bankId: at.bankId } : {}),
    type: at.code?.type ?? typeFromWording(at.entryInfo) ?? typeFromWording(tx.info),
    reference: tx.reference ?? at.servicerRef,
    counterparty: { name: tx.name, iban: tx.iban, creditorId: tx.creditorId, mandateReference: tx.mandate },
    cardLast4: tx.card ?? at.card,
    extra,
  };
  // A card payment's acceptance time is when the operation happened; the booking comes later.
  if (tx.accepted) line.date = tx.accepted.instant;
  if (tx.original && tx.original.currency !== base.currency) {
    line.originalCents = Math.sign(at.cents) * tx.original.cents;
    line.originalCurrency = tx.original.currency;
  }
  return line;
}

function emptyTransaction(): Transaction {
  return {};
}

function batchAddsUp(details: Transaction[], currency: string, total: number): boolean {
  let sum = 0;
  for (const tx of details) {
    if (tx.cents === undefined || tx.currency !== currency) return false;
    sum += tx.cents;
  }
  return sum === total;
}

function readTransaction(
  tx: XmlElement,
  entrySign: number,
  ctx: EntryContext,
  failAt: (el: XmlElement | undefined) => Fail,
): Transaction {
  const out: Transaction = {};
  const amountEl = child(tx, 'Amt') ?? descend(tx, 'AmtDtls', 'TxAmt', 'Amt');
  const signEl = child(tx, 'CdtDbtInd');
  const sign = signEl ? readSign(signEl.text.trim(), failAt(signEl)) : entrySign;
  if (amountEl) {
    const amount = readAmount(amountEl, failAt(amountEl));
    out.cents = sign * amount.cents;
    out.currency = amount.currency;
  }
  const instructed = descend(tx, 'AmtDtls', 'InstdAmt', 'Amt');
  if (instructed) out.original = readAmount(instructed, failAt(instructed));
  out.code = readBankCode(child(tx, 'BkTxCd'));

  const parties = child(tx, 'RltdPties');
  // Money out: the other party is the creditor (payee); money in: the debtor (payer).
  const [party, ultimate, account] = sign < 0 ? ['Cdtr', 'UltmtCdtr', 'CdtrAcct'] : ['Dbtr', 'UltmtDbtr', 'DbtrAcct'];
  if (parties) {
    out.name = partyName(child(parties, party)) ?? partyName(child(parties, ultimate));
    out.iban = textAt(parties, account, 'Id', 'IBAN');
    const creditor = child(parties, 'Cdtr');
    const creditorParty = creditor && (child(creditor, 'Pty') ?? creditor);
    out.creditorId = creditorParty && textAt(creditorParty, 'Id', 'PrvtId', 'Othr', 'Id');
  }
  const refs = child(tx, 'Refs');
  out.mandate = meaningful(refs && textAt(refs, 'MndtId'));
  const remittance = child(tx, 'RmtInf');
  if (remittance) {
    const lines = remittance.children.filter((c) => c.local === 'Ustrd').map((c) => c.text.trim());
    out.remittance = meaningful(lines.join(' '));
    out.reference = meaningful(textAt(remittance, 'Strd', 'CdtrRefInf', 'Ref'));
  }
  out.reference ??= meaningful(refs && textAt(refs, 'EndToEndId')) ?? meaningful(refs && textAt(refs, 'ChqNb'));
  out.info = meaningful(textAt(tx, 'AddtlTxInf'));
  out.card = cardLast4(tx);
  const accepted = descend(tx, 'RltdDts', 'AccptncDtTm');
  if (accepted) out.accepted = parseIsoDate(accepted.text, ctx.timeZone, ctx.now, failAt(accepted));
  return out;
}

/** The name of a party: `Nm` up to .07, `Pty/Nm` from .08 on. */
function partyName(party: XmlElement | undefined): string | undefined {
  if (!party) return undefined;
  return meaningful(textAt(party, 'Nm') ?? textAt(party, 'Pty', 'Nm'));
}

function readAmount(el: XmlElement, fail: Fail): Amount {
  const text = el.text.trim();
  const m = /^(\d{1,15})(?:\.(\d{1,5}))?$/.exec(text);
  if (!m) return fail(`the amount "${text.slice(0, 40)}" is not a number`);
  const cents = checkCents(centsOf(m[1]!, m[2] ?? ''), text, fail);
  const currency = checkCurrency(el.attrs.Ccy ?? '', fail);
  return { cents, currency };
}

export function readSign(indicator: string | undefined, fail: Fail): 1 | -1 {
  if (indicator === 'CRDT') return 1;
  if (indicator === 'DBIT') return -1;
  return fail(
    indicator === undefined
      ? 'the credit/debit indicator (CdtDbtInd) is missing'
      : `the credit/debit indicator "${indicator.slice(0, 20)}" is neither CRDT nor DBIT`,
  );
}

/** A date choice (`BookgDt`, `ValDt`, `Dt` of a balance): `Dt` or `DtTm`. */
export function readDate(
  el: XmlElement | undefined,
  ctx: { timeZone: string; now: number },
  failAt: (el: XmlElement | undefined) => Fail,
): BankDate | undefined {
  if (!el) return undefined;
  const inner = child(el, 'Dt') ?? child(el, 'DtTm');
  const target = inner ?? el;
  const text = target.text.trim();
  if (text === '') return undefined;
  return parseIsoDate(text, ctx.timeZone, ctx.now, failAt(target));
}

/** `BkTxCd`: the ISO domain code when there is one, else the proprietary one. */
function readBankCode(el: XmlElement | undefined): BankCode | undefined {
  if (!el) return undefined;
  const domain = child(el, 'Domn');
  if (domain) {
    const family = textAt(domain, 'Fmly', 'Cd');
    const sub = textAt(domain, 'Fmly', 'SubFmlyCd');
    const written = [textAt(domain, 'Cd'), family, sub].filter(Boolean).join('/');
    const type = typeFromIsoCode(family, sub);
    if (type) return { type, written };
    const proprietary = readProprietary(el);
    return proprietary?.type ? proprietary : { written };
  }
  return readProprietary(el);
}

function readProprietary(el: XmlElement): BankCode | undefined {
  const code = textAt(el, 'Prtry', 'Cd');
  if (!code) return undefined;
  const issuer = (textAt(el, 'Prtry', 'Issr') ?? '').toUpperCase();
  // German banks (issuer DK or ZKA): `NTRF+166+9310+997`, SWIFT code then business code.
  const dk = /^[NS]?([A-Z]{3})\+(\d{3})/.exec(code);
  const type =
    issuer === 'CFONB' ? typeFromCfonbCode(code) : dk ? (typeFromGvc(dk[2]) ?? typeFromSwiftCode(dk[1])) : undefined;
  return { written: code, ...(type ? { type } : {}) };
}

function cardLast4(el: XmlElement): string | undefined {
  const pan = descend(el, 'CardTx', 'Card', 'PlainCardData', 'PAN')?.text.trim();
  const m = pan ? /(\d{4})$/.exec(pan) : null;
  return m?.[1];
}

function descend(el: XmlElement, ...locals: string[]): XmlElement | undefined {
  let at: XmlElement | undefined = el;
  for (const local of locals) at = at && child(at, local);
  return at;
}
