/**
 * Writes a household as JSON Lines, one file per customer, holder and doctype, for app developers
 * who want the data set without running the holders: `foyer holders --export DIR`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { holderIds, type DayRange, type Household } from './household/household.js';

export interface ExportSummary {
  files: number;
  records: number;
  /** Time spent computing the records, per customer, in milliseconds. */
  generationMs: Record<string, number>;
}

export async function exportHousehold(household: Household, range: DayRange, dir: string): Promise<ExportSummary> {
  let files = 0;
  let records = 0;
  const generationMs: Record<string, number> = {};
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'customers.json'),
    JSON.stringify({ seed: household.seed, range, customers: household.customers }, null, 2) + '\n',
  );
  for (const customer of household.customers) {
    let ms = 0;
    for (const holder of holderIds) {
      const doctypes = household.doctypes(customer.id, holder);
      if (doctypes.length === 0) continue;
      const folder = join(dir, customer.id, holder);
      await mkdir(folder, { recursive: true });
      for (const doctype of doctypes) {
        const start = performance.now();
        const list = household.records(customer.id, holder, doctype, range);
        ms += performance.now() - start;
        const lines = list.map((r) =>
          JSON.stringify({
            key: r.key,
            day: r.day,
            doctype: r.doctype,
            data: r.data,
            ...(r.files ? { files: r.files } : {}),
          }),
        );
        await writeFile(join(folder, `${doctype}.jsonl`), lines.length > 0 ? lines.join('\n') + '\n' : '');
        files++;
        records += list.length;
      }
    }
    generationMs[customer.id] = Math.round(ms);
  }
  return { files, records, generationMs };
}
