import { FoyerError } from '../../core/errors.js';
import type { GenContext, HolderRecord } from './context.js';
import type { HolderId } from './customers.js';
import type { DayRange } from './days.js';
import { writePdf } from './pdf.js';

/** The doctypes whose records may name files. */
const withFiles = ['bill', 'energy.contract', 'insurance.contract', 'telecom.line'];

const fileIdPattern = /^(bill|contract)-(\d{4}-\d{2}-\d{2})-([A-Za-z0-9-]{1,64})$/;

const euros = (n: unknown): string => (typeof n === 'number' ? `${n.toFixed(2).replace('.', ',')} €` : '');

/** Lines of text describing a record: its scalar fields, then a bill's lines. */
function describe(record: HolderRecord): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(record.data)) {
    if (value === null || typeof value === 'object') continue;
    out.push(`${name}: ${String(value)}`);
  }
  const lines = record.data.lines;
  if (Array.isArray(lines)) {
    out.push('', 'Détail :');
    for (const l of lines as { label: string; quantity?: number; unit?: string; amountExcludingTax: number }[])
      out.push(
        `  ${l.label}${l.quantity !== undefined ? ` — ${l.quantity} ${l.unit ?? ''}` : ''} : ${euros(l.amountExcludingTax)} HT`,
      );
  }
  const address = record.data.address;
  if (address && typeof address === 'object') out.push('', `Adresse : ${Object.values(address).join(', ')}`);
  return out;
}

export function renderFile(
  ctx: GenContext,
  holder: HolderId,
  fileId: string,
  recordsOf: (doctype: string, range: DayRange) => HolderRecord[],
): Uint8Array {
  const match = fileIdPattern.exec(fileId);
  const notFound = (): FoyerError => new FoyerError('not_found', `no file ${fileId} at ${holder}`);
  if (!match) throw notFound();
  const day = match[2] as string;
  for (const doctype of withFiles) {
    let records: HolderRecord[];
    try {
      records = recordsOf(doctype, { from: day, to: day });
    } catch (e) {
      if (e instanceof FoyerError && (e.code === 'not_found' || e.code === 'bad_request')) continue;
      throw e;
    }
    const record = records.find((r) => r.files?.some((f) => f.id === fileId));
    if (!record) continue;
    const c = ctx.customer;
    const kind = match[1] === 'bill' ? 'Facture' : 'Contrat';
    return writePdf({
      title: `${kind} ${record.key} — ${String(record.data.vendor ?? '')}`,
      lines: [c.displayName, c.address.street, `${c.address.postalCode} ${c.address.city}`, '', ...describe(record)],
    });
  }
  throw notFound();
}
