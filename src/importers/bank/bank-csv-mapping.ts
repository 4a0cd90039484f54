/**
 * The column mapping of a bank CSV file: which column holds what, and how its values are written.
 * The importer infers it (or takes it from a known layout), `describe()` shows it in the preview,
 * the person corrects it, and the corrected mapping comes back as `options.csvMapping`: the HTTP
 * route validates it with `bankCsvMappingSchema`, and so does the importer.
 */
import { z } from 'zod';
import { FoyerError } from '../../core/errors.js';

/** A column, by its 0-based position (names repeat, e.g. ING's two `Währung`). */
const column = z.number().int().min(0).max(999);

export const bankCsvColumnsSchema = z
  .object({
    /** Operation date: the day (or instant) of `bank.transaction.date`. */
    date: column,
    /** Booking day, when the file gives both: used for the fingerprint (see bank-fingerprint.ts). */
    bookingDate: column.optional(),
    valueDate: column.optional(),
    label: column,
    /** A signed amount... */
    amount: column.optional(),
    /** ...or a debit column (written positive or negative: always a debit) and a credit column. */
    debit: column.optional(),
    credit: column.optional(),
    /** `Af`/`Bij`, `Debit`/`Credit`, `D`/`C`: the sign of an unsigned `amount`. */
    direction: column.optional(),
    /** A fee charged on top of `amount` (Revolut): the operation's amount is `amount - fee`. */
    fee: column.optional(),
    /** Running balance after the line: the account's balance is the latest one. */
    balance: column.optional(),
    currency: column.optional(),
    category: column.optional(),
    reference: column.optional(),
    counterparty: column.optional(),
    /** Booked, pending, declined...: pending lines are kept as such, declined and reverted ones skipped. */
    status: column.optional(),
    /** Account number per line, for files holding several accounts (BoursoBank). */
    account: column.optional(),
    /** The bank's own unique id of the operation: the natural key instead of the fingerprint. */
    id: column.optional(),
  })
  .strict();

export const bankCsvMappingSchema = z
  .object({
    delimiter: z.enum([';', ',', '\t', '|']),
    /** Line (1-based) of the header row; 0 when the file has none. Rows up to it are preamble. */
    headerLine: z.number().int().min(0),
    columns: bankCsvColumnsSchema,
    dateOrder: z.enum(['DMY', 'MDY', 'YMD']),
    decimalMark: z.enum([',', '.']),
    /** How times without an offset are read: in the space's time zone, or as UTC (Qonto's `(UTC)` columns). */
    timeZone: z.enum(['local', 'UTC']),
    /** ISO 4217 code of the amounts when no currency column says. */
    currency: z.string().regex(/^[A-Z]{3}$/),
  })
  .strict()
  .refine(
    (m) =>
      m.columns.amount !== undefined
        ? m.columns.debit === undefined && m.columns.credit === undefined
        : m.columns.debit !== undefined && m.columns.credit !== undefined,
    { message: 'Give either an amount column, or a debit column and a credit column.', path: ['columns'] },
  );

export type BankCsvMapping = z.infer<typeof bankCsvMappingSchema>;
export type BankCsvColumns = z.infer<typeof bankCsvColumnsSchema>;
export type BankCsvRole = keyof BankCsvColumns;

/** `options.csvMapping` checked, or a `validation_failed` error saying what is wrong with it. */
export function checkBankCsvMapping(value: unknown): BankCsvMapping {
  const result = bankCsvMappingSchema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.map(String).join('.') || 'mapping'}: ${i.message}`);
  throw new FoyerError('validation_failed', `The CSV column mapping is not valid: ${issues.join('; ')}`, {
    issues: result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  });
}
