/**
 * The tests' connector that collects files: logs in to the test holder, reads every bill (no
 * cursor: each run reads them all again, so a rerun meets the same files) and, for each, stores
 * its PDF with `ctx.file` and points the bill's `fileId` at it.
 */
import type { ConnectorContext } from '../../sdk.js';
import { billData, check, logIn } from '../test-connector/connector.js';

interface Bill {
  number: string;
  issued: string;
  amount: number;
  pdf?: string;
}

export async function run(ctx: ConnectorContext): Promise<void> {
  const credentials = await ctx.credentials();
  const token = credentials.accessToken ?? (await logIn(ctx, credentials));
  const headers = { authorization: `Bearer ${token}` };
  let since: number | null = 0;
  let files = 0;
  while (since !== null) {
    const res = await ctx.fetch(`${ctx.api}/api/bills?since=${since}`, { headers });
    check(res, 'bills');
    const page = res.json() as { bills: Bill[]; next: number | null };
    for (const bill of page.bills) {
      const fileId = bill.pdf
        ? await ctx.file({
            key: `test-holder/${bill.number}`,
            url: new URL(bill.pdf, ctx.api).href,
            headers,
            name: `facture-${bill.number}.pdf`,
          })
        : undefined;
      if (fileId) files++;
      await ctx.upsert('bill', bill.number, { ...billData(bill), ...(fileId ? { fileId } : {}) });
    }
    since = page.next;
  }
  ctx.log(`${files} files`);
}
