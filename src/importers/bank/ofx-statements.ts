/**
 * Reads bank (`STMTRS`) and card (`CCSTMTRS`) statements out of the OFX element stream, as many as
 * the file holds, and hands over records as soon as they are known: transactions when their
 * `STMTTRN` ends (the account and currency come before the list in every OFX version), accounts
 * at the end of the file (one per account, whatever the number of its statements, with the
 * latest balance).
 *
 * Natural keys: `id:<accountId>|<FITID>`. A FITID repeated with the same content (overlapping
 * statements in one file) is kept once; one reused for a different transaction, or missing, falls
 * back to the content fingerprint (bank-fingerprint.ts), with a warning.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ParseContext } from '../importer.js';
import { createFingerprinter } from './bank-fingerprint.js';
import { balanceInstant } from './bank-date-time.js';
import { parseBankAmount } from './bank-values.js';
import { createOfxDateReader } from './ofx-date.js';
import {
  childNamed,
  leaf,
  ofxAccount,
  ofxTransaction,
  type OfxAccount,
  type StatementKind,
  type ValueContext,
} from './ofx-records.js';
import type { OfxElement, OfxTreeHandler } from './ofx-tree.js';

/**
 * Aggregates whose content is read: they must be closed by their own tag (a missing one is a
 * corrupt or cut file), and they are never mistaken for leaves.
 */
export const OFX_AGGREGATES: ReadonlySet<string> = new Set([
  'OFX',
  'STMTRS',
  'CCSTMTRS',
  'BANKACCTFROM',
  'CCACCTFROM',
  'BANKTRANLIST',
  'STMTTRN',
  'LEDGERBAL',
  'AVAILBAL',
]);

interface Statement {
  kind: StatementKind;
  element: OfxElement;
  account?: OfxAccount;
  currency?: string;
  /** A `<CURRENCY>EUR` leaf where CURDEF belongs (some producers write that). */
  currencyLeaf?: string;
  ledger?: OfxElement;
  available?: OfxElement;
  /** Transactions read before the account or currency was known. */
  pending: OfxElement[];
}

interface AccountState {
  account: OfxAccount;
  currency: string;
  balance?: number;
  balanceDate?: string;
  available?: number;
}

export interface OfxStatementReader {
  handler: OfxTreeHandler;
  /** The end of the file: accounts are handed over, an empty or foreign file is an error. */
  finish(): void;
}

export function createOfxStatementReader(
  file: string,
  ctx: ParseContext,
  emit: (record: ImportRecord) => void,
): OfxStatementReader {
  let sawRoot = false;
  let statements = 0;
  let statement: Statement | undefined;
  let vendor = '';
  let bankError: string | undefined;
  let warnedZone = false;
  let warnedNoFitId = false;
  const accounts = new Map<string, AccountState>();
  /** Per account, each FITID seen to a hash of its transaction's content. */
  const fitIds = new Map<string, Map<string, number>>();
  const fingerprint = createFingerprinter();
  const values: ValueContext = {
    file,
    date: createOfxDateReader(ctx.timeZone, ctx.now),
    zoneWithoutTime(line, text) {
      if (warnedZone) return;
      warnedZone = true;
      ctx.warn({
        line,
        message: `the date "${text}" has a time zone but no time: read as the bank's day (said once for the file).`,
      });
    },
  };

  const transaction = (element: OfxElement, s: Statement, account: OfxAccount, currency: string) => {
    const t = ofxTransaction(element, account, currency, s.kind, values);
    if (t.correction?.action === 'DELETE') {
      ctx.warn({
        line: element.line,
        message: `a correction deletes transaction "${t.correction.fitId}": imports never delete, skipped.`,
      });
      return;
    }
    const data = t.data;
    const byContent = () =>
      fingerprint({
        accountId: account.accountId,
        day: t.postedDay,
        amount: data.amount as number,
        label: data.label as string,
      });
    let key: string;
    if (t.fitId === '') {
      if (!warnedNoFitId) {
        warnedNoFitId = true;
        ctx.warn({
          line: element.line,
          message: 'transactions without a FITID are keyed by their day, amount and label (said once for the file).',
        });
      }
      key = byContent();
    } else {
      key = `id:${account.accountId}|${t.fitId}`;
      const signature = hash(t.signature);
      let seenHere = fitIds.get(account.accountId);
      if (!seenHere) fitIds.set(account.accountId, (seenHere = new Map()));
      const seen = seenHere.get(t.fitId);
      if (seen === undefined) {
        seenHere.set(t.fitId, signature);
      } else if (seen === signature) {
        ctx.warn({
          line: element.line,
          message: `transaction "${t.fitId}" appears twice with the same content: kept once.`,
        });
        return;
      } else {
        ctx.warn({
          line: element.line,
          message: `the FITID "${t.fitId}" is used again for a different transaction: this one is keyed by its content.`,
        });
        key = byContent();
      }
    }
    emit({ kind: 'document', doctype: 'bank.transaction', key, data, line: element.line });
  };

  const flushPending = (s: Statement) => {
    if (!s.account || !s.currency) return;
    for (const element of s.pending) transaction(element, s, s.account, s.currency);
    s.pending = [];
  };

  const endStatement = (s: Statement) => {
    statements++;
    if (!s.account) {
      const accountId = ctx.options.accountId ?? 'default';
      ctx.warn({
        line: s.element.line,
        message: `the statement names no account: its lines go to account "${accountId}".`,
      });
      s.account = { accountId, type: s.kind === 'card' ? 'card' : 'other', label: accountId, extra: {} };
    }
    s.currency ??= s.currencyLeaf;
    if (!s.currency) {
      throw importError(
        file,
        `the statement opened at line ${s.element.line} gives no currency (CURDEF).`,
        s.element.line,
      );
    }
    flushPending(s);
    const state: AccountState = { account: s.account, currency: s.currency };
    if (s.ledger) {
      const balance = balanceOf(s.ledger);
      if (balance) {
        state.balance = balance.amount;
        state.balanceDate = balance.date;
      }
    }
    if (s.available) {
      const available = balanceOf(s.available);
      if (available) state.available = available.amount;
    }
    const previous = accounts.get(s.account.accountId);
    // Several statements of one account: the latest balance wins.
    if (!previous || (state.balanceDate ?? '') >= (previous.balanceDate ?? ''))
      accounts.set(s.account.accountId, state);
  };

  const balanceOf = (element: OfxElement): { amount: number; date?: string } | undefined => {
    const amountElement = childNamed(element, 'BALAMT');
    if (!amountElement || amountElement.text === '') return undefined;
    const amount = parseBankAmount(amountElement.text, '.');
    if (typeof amount === 'string') throw importError(file, amount, amountElement.line);
    const dateElement = childNamed(element, 'DTASOF');
    if (!dateElement || dateElement.text === '') return { amount };
    const date = values.date(dateElement.text);
    if (typeof date === 'string') throw importError(file, date, dateElement.line);
    return { amount, date: balanceInstant(date, ctx.timeZone) };
  };

  const currencyCode = (element: OfxElement): string => {
    const code = element.text.toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) {
      throw importError(file, `the currency "${element.text}" is not an ISO 4217 code.`, element.line);
    }
    return code;
  };

  const handler: OfxTreeHandler = {
    opened(element) {
      if (element.name === 'OFX') sawRoot = true;
      if (element.name === 'STMTRS' || element.name === 'CCSTMTRS') {
        if (statement) {
          throw importError(
            file,
            `a statement opens inside the one opened at line ${statement.element.line}.`,
            element.line,
          );
        }
        statement = { kind: element.name === 'STMTRS' ? 'bank' : 'card', element, pending: [] };
      }
    },
    ended(element, stack) {
      const s = statement;
      const parent = stack[stack.length - 1];
      switch (element.name) {
        case 'STMTTRN':
          if (!s) {
            ctx.warn({ line: element.line, message: 'a transaction outside any bank or card statement: skipped.' });
          } else if (s.account && s.currency) {
            transaction(element, s, s.account, s.currency);
          } else {
            s.pending.push(element);
          }
          return false;
        case 'BANKACCTFROM':
        case 'CCACCTFROM':
          if (s && !s.account) {
            s.account = ofxAccount(element, s.kind, file);
            flushPending(s);
          }
          return true;
        case 'CURDEF':
          if (s && parent === s.element && element.text !== '') {
            s.currency = currencyCode(element);
            flushPending(s);
          }
          return true;
        case 'CURRENCY':
          if (s && parent === s.element && element.children.length === 0 && element.text !== '') {
            s.currencyLeaf = currencyCode(element);
          }
          return true;
        case 'LEDGERBAL':
          if (s) s.ledger = element;
          return true;
        case 'AVAILBAL':
          if (s) s.available = element;
          return true;
        case 'STMTRS':
        case 'CCSTMTRS':
          if (s) endStatement(s);
          statement = undefined;
          return false;
        case 'FI':
          if (parent?.name === 'SONRS' && leaf(element, 'ORG') !== '') vendor = leaf(element, 'ORG');
          return true;
        case 'BANKTRANLISTP':
          ctx.warn({
            line: element.line,
            message: `${element.children.filter((c) => c.name === 'STMTTRNP').length} pending transactions skipped: they come back with their own id once booked.`,
          });
          return false;
        case 'INVSTMTRS':
          ctx.warn({
            line: element.line,
            message: 'an investment statement: not imported (only bank and card statements are).',
          });
          return false;
        case 'STATUS': {
          const code = leaf(element, 'CODE');
          if (code !== '' && code !== '0' && leaf(element, 'SEVERITY').toUpperCase() === 'ERROR') {
            bankError = `${code} ${leaf(element, 'MESSAGE')}`.trim();
            ctx.warn({ line: element.line, message: `the bank reports an error: ${bankError}.` });
          }
          return true;
        }
        default:
          return true;
      }
    },
    prolog() {
      // The 1.x header (OFXHEADER, VERSION, CHARSET...): the source already read the charset.
    },
    instruction() {
      // The 2.x `<?OFX ...?>` header and the XML prolog: nothing in them changes how data reads.
    },
    stray(name, line) {
      ctx.warn({ line, message: `a closing </${name}> that closes nothing: ignored.` });
    },
  };

  return {
    handler,
    finish() {
      if (!sawRoot) throw importError(file, 'there is no <OFX> element: this is not an OFX file, or it is empty.');
      if (statements === 0) {
        throw importError(
          file,
          bankError
            ? `the file holds no statement; the bank reports an error: ${bankError}.`
            : 'the file holds no bank or card statement.',
        );
      }
      for (const state of accounts.values()) {
        const { account } = state;
        const extra: Record<string, unknown> = { ...account.extra };
        if (state.available !== undefined) extra.availableBalance = state.available;
        const data: Record<string, unknown> = {
          accountId: account.accountId,
          vendor: (vendor || 'Unknown bank').slice(0, 200),
          label: account.label,
          type: account.type,
          currency: state.currency,
          ...(account.iban ? { iban: account.iban } : {}),
          ...(state.balance !== undefined ? { balance: state.balance } : {}),
          ...(state.balanceDate !== undefined ? { balanceDate: state.balanceDate } : {}),
          ...(Object.keys(extra).length > 0 ? { extra } : {}),
        };
        emit({ kind: 'document', doctype: 'bank.account', key: `account:${account.accountId}`, data });
      }
    },
  };
}

/** FNV-1a, 32 bits: a transaction's content in a number, to keep the FITID table small. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
