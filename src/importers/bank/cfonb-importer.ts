/**
 * French CFONB 120 account statements (relevé de compte, the format French banks deliver by EBICS
 * and in their business web banking). A statement is an old balance (record 01), movements (04),
 * each followed by any number of complements (05, qualified: LIB label, NPY payer, NBE
 * beneficiary, RCN reference...), and a new balance (07). The file carries no IBAN: the account
 * is `<bank code>:<counter code>:<account number>`. Movements have no id of their own: the
 * natural key is the fingerprint (bank-fingerprint.ts).
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, ImportSource, Importer, ParseContext } from '../importer.js';
import { dayEndInstant, type Fail } from './bank-date-time.js';
import { typeFromCfonbCode, typeFromWording } from './bank-operation-types.js';
import { checkAccountId, createStatementRecords, meaningful, type StatementRecords } from './bank-statement-records.js';
import { dayStartInstant, normalizeIban } from './bank-values.js';
import {
  RECORD_LENGTH,
  cfonbCents,
  cfonbCurrency,
  cfonbDay,
  cfonbDecimals,
  cfonbRecords,
  field,
  type CfonbRecord,
} from './cfonb-records.js';

/** The banks whose code is on most French statements; others show as "Bank code NNNNN". */
const BANK_NAMES: Record<string, string> = {
  '30004': 'BNP Paribas',
  '30003': 'Société Générale',
  '30002': 'LCL',
  '20041': 'La Banque Postale',
  '30066': 'CIC',
  '10278': 'Crédit Mutuel',
};

/** Complements that continue the movement's label, in the order the bank gives them. */
const LABEL_QUALIFIERS = new Set(['LIB', 'LCC', 'LC2', 'LCS']);

export const cfonbImporter: Importer = {
  id: 'cfonb120',
  title: 'French CFONB 120 bank statement (relevé de compte)',
  doctypes: ['bank.account', 'bank.transaction'],
  detect: detectCfonb,
  parse: parseCfonb,
};

const RECORD_SHAPE = /^(01|04|05|07)\d{5}.{4}[\d ]{5}[A-Z]{3}\d.{14}\d{6}/;

function detectCfonb(sample: ImportSample): number {
  // The first records, whether one per line or all on one line.
  const lines = sample.text.split(/\r\n|\r|\n/).filter((l) => l.trim() !== '');
  const first = lines[0] ?? '';
  const records =
    first.length > RECORD_LENGTH
      ? Array.from({ length: Math.min(3, Math.floor(first.length / RECORD_LENGTH)) }, (_, i) =>
          first.slice(i * RECORD_LENGTH, (i + 1) * RECORD_LENGTH),
        )
      : lines.slice(0, 3);
  if (records.length === 0) return 0;
  let score = 0;
  for (const record of records) {
    if (!RECORD_SHAPE.test(record) || record.length > RECORD_LENGTH || record.length < 104) return 0;
    if (record.startsWith('05')) continue;
    if (!/^\d{13}[{}A-R]$/.test(field(record, 91, 104))) return 0;
    score++;
  }
  if (score === 0) return 0.5;
  return records[0]!.startsWith('01') ? 0.97 : 0.7;
}

interface Movement {
  record: string;
  line: number;
  number: number;
  details: { qualifier: string; info: string }[];
}

interface Statement {
  accountId: string;
  line: number;
  movement?: Movement;
}

async function* parseCfonb(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const records = createStatementRecords();
  let statement: Statement | undefined;
  let statements = 0;
  for await (const record of cfonbRecords(source)) {
    const fail: Fail = (message) => {
      throw importError(source.name, `record ${record.number}: ${message}`, record.line, { record: record.number });
    };
    const code = record.text.slice(0, 2);
    if (code === '01') {
      if (statement)
        fail('a statement starts (record 01) before the previous one ends with its new balance (record 07)');
      statement = openStatement(record, records, ctx, fail);
      statements++;
    } else if (code === '04' || code === '05') {
      if (!statement)
        fail(
          `a ${code === '04' ? 'movement (record 04)' : 'complement (record 05)'} comes outside a statement (after no record 01)`,
        );
      if (code === '04') {
        if (statement!.movement) yield movementRecord(statement!, statement!.movement, records, ctx, source.name);
        statement!.movement = { record: record.text, line: record.line, number: record.number, details: [] };
      } else {
        if (!statement!.movement) fail('a complement (record 05) comes before any movement (record 04)');
        statement!.movement!.details.push({
          qualifier: field(record.text, 46, 48).trim(),
          info: field(record.text, 49, 118),
        });
      }
    } else if (code === '07') {
      if (!statement) fail('a new balance (record 07) comes without its old balance (record 01)');
      if (statement!.movement) yield movementRecord(statement!, statement!.movement, records, ctx, source.name);
      const decimals = cfonbDecimals(record.text, fail);
      cfonbCurrency(record.text, fail);
      const day = cfonbDay(field(record.text, 35, 40), ctx.now, fail);
      if (!day) fail('the new balance (record 07) has no date');
      const cents = cfonbCents(field(record.text, 91, 104), decimals, fail);
      records.balance(statement!.accountId, cents, dayEndInstant(day!, ctx.timeZone));
      statement = undefined;
    } else {
      fail(`"${code}" is not a CFONB 120 record code (01, 04, 05 or 07)`);
    }
  }
  if (statement) {
    throw importError(
      source.name,
      "the file ends before the statement's new balance (record 07) (truncated?)",
      statement.line,
    );
  }
  if (statements === 0) throw importError(source.name, 'the file holds no CFONB statement (no record 01).');
  for (const record of records.accounts()) yield record;
}

function openStatement(record: CfonbRecord, records: StatementRecords, ctx: ParseContext, fail: Fail): Statement {
  const text = record.text;
  const bank = field(text, 3, 7);
  const counter = field(text, 12, 16).trim();
  const account = field(text, 22, 32).trim();
  const accountId = checkAccountId(`${bank}:${counter}:${account}`, fail);
  const currency = cfonbCurrency(text, fail);
  const decimals = cfonbDecimals(text, fail);
  // The old balance is checked (a corrupt one fails the file) but the account keeps the new one.
  cfonbDay(field(text, 35, 40), ctx.now, fail);
  cfonbCents(field(text, 91, 104), decimals, fail);
  records.account({
    accountId,
    vendor: BANK_NAMES[bank] ?? `Bank code ${bank}`,
    label: `${bank} ${counter} ${account}`,
    currency,
  });
  return { accountId, line: record.line };
}

function movementRecord(
  statement: Statement,
  movement: Movement,
  records: StatementRecords,
  ctx: ParseContext,
  file: string,
): ImportRecord {
  statement.movement = undefined;
  const text = movement.record;
  const fail: Fail = (message) => {
    throw importError(file, `record ${movement.number}: ${message}`, movement.line, { record: movement.number });
  };
  const currency = cfonbCurrency(text, fail);
  const cents = cfonbCents(field(text, 91, 104), cfonbDecimals(text, fail), fail);
  const day = cfonbDay(field(text, 35, 40), ctx.now, fail);
  if (!day) return fail('the movement (record 04) has no booking date');
  const valueDay = cfonbDay(field(text, 43, 48), ctx.now, fail);
  const operationCode = field(text, 33, 34).trim();
  const ownLabel = meaningful(field(text, 49, 79)) ?? '';
  const detail = (qualifier: string) => movement.details.find((d) => d.qualifier === qualifier)?.info;
  const continuation = movement.details.filter((d) => LABEL_QUALIFIERS.has(d.qualifier)).map((d) => d.info.trim());
  const label = [ownLabel, ...continuation].filter(Boolean).join(' ');
  // A debit's other party is the beneficiary, a credit's the payer.
  const name = cents < 0 ? (detail('NBE') ?? detail('NBU')) : (detail('NPY') ?? detail('NPO'));
  const reference =
    meaningful(detail('RCN')?.slice(0, 35)) ?? meaningful(detail('REF')) ?? meaningful(field(text, 105, 120));
  const original = detail('MMO');
  const extra: Record<string, unknown> = {
    operationCode,
    internalCode: field(text, 8, 11).trim(),
    exemption: field(text, 89, 89).trim(),
    unavailability: field(text, 90, 90).trim(),
  };
  const entryNumber = field(text, 82, 88).trim();
  if (entryNumber && !/^0+$/.test(entryNumber)) extra.entryNumber = entryNumber;
  return records.transaction({
    accountId: statement.accountId,
    currency,
    cents,
    date: dayStartInstant(day, ctx.timeZone),
    day,
    label,
    fingerprintLabel: ownLabel,
    ...(valueDay ? { valueDate: valueDay } : {}),
    type: typeFromCfonbCode(operationCode) ?? typeFromWording(label),
    reference,
    counterparty: {
      name: meaningful(name),
      iban: normalizeIban(detail('CBE')?.trim().split(/\s+/)[0] ?? ''),
      creditorId: meaningful(detail('IBE')?.slice(0, 35)),
    },
    ...(original ? originalAmount(original, cents) : {}),
    extra: Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== '')),
    line: movement.line,
  });
}

/** MMO complement: currency (3), decimals (1), amount in that currency (14, unsigned). */
function originalAmount(info: string, cents: number): { originalCents: number; originalCurrency: string } | object {
  const m = /^([A-Z]{3})(\d)(\d{14})/.exec(info);
  if (!m) return {};
  const decimals = Number(m[2]);
  const units = Number(m[3]);
  const originalCents = decimals <= 2 ? units * 10 ** (2 - decimals) : Math.round(units / 10 ** (decimals - 2));
  if (!Number.isSafeInteger(originalCents) || originalCents >= 1e14) return {};
  return { originalCents: Math.sign(cents) * originalCents, originalCurrency: m[1]! };
}
