/**
 * The tests' connector for the test holder (`../test-holder.ts`): logs in (or uses its OAuth
 * token), answers a second factor, reads bills page by page since its cursor, then daily points,
 * and maps the holder's answers onto the error taxonomy. Written the way real connectors are.
 */
import { ConnectorError, type ConnectorContext, type FetchResponse } from '../../sdk.js';

interface Bill {
  seq: number;
  number: string;
  issued: string;
  amount: number;
}

/** The holder's bill as a catalog `bill`. */
export const billData = (bill: { number: string; issued: string; amount: number }) => ({
  vendor: 'Test Holder',
  vendorCategory: 'energy',
  number: bill.number,
  issueDate: bill.issued,
  totalAmount: bill.amount,
  currency: 'EUR',
});

export function check(res: FetchResponse, what: string): void {
  if (res.ok) return;
  if (res.status === 401) throw new ConnectorError('login_failed', `${what}: the holder refused the login.`);
  if (res.status === 403) throw new ConnectorError('user_action_needed', `${what}: the holder asks the person to act.`);
  if (res.status === 429) {
    const retry = Number(res.headers['retry-after'] ?? 60);
    throw new ConnectorError('quota', `${what}: too many calls.`, { retryAfterSeconds: retry });
  }
  throw new ConnectorError('holder_unavailable', `${what}: the holder answered ${res.status}.`);
}

export async function logIn(ctx: ConnectorContext, credentials: Record<string, string>): Promise<string> {
  const post = (path: string, body: unknown) =>
    ctx.fetch(`${ctx.api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const res = await post('/api/login', { username: credentials.username, password: credentials.password });
  check(res, 'login');
  const answer = res.json() as { token?: string; challenge?: string };
  if (answer.token) return answer.token;
  const otp = await ctx.askSecondFactor({ prompt: 'Enter the code the holder sent you by SMS.', deadline: 3000 });
  const second = await post('/api/login/otp', { otp });
  check(second, 'second factor');
  return (second.json() as { token: string }).token;
}

export async function run(ctx: ConnectorContext): Promise<void> {
  const credentials = await ctx.credentials();
  const token = credentials.accessToken ?? (await logIn(ctx, credentials));
  const headers = { authorization: `Bearer ${token}` };
  const cursor = (ctx.cursor.get() ?? {}) as { seq?: number; day?: string };

  let since: number | null = cursor.seq ?? 0;
  let last = since;
  let done = 0;
  while (since !== null) {
    const res = await ctx.fetch(`${ctx.api}/api/bills?since=${since}`, { headers });
    check(res, 'bills');
    const page = res.json() as { bills: Bill[]; next: number | null; total: number };
    for (const bill of page.bills) {
      await ctx.upsert('bill', bill.number, billData(bill));
      last = Math.max(last, bill.seq);
    }
    done += page.bills.length;
    ctx.progress({ done, total: done + page.total - page.bills.length, message: 'bills' });
    since = page.next;
  }

  const daily = await ctx.fetch(`${ctx.api}/api/daily?since=${cursor.day ?? ''}`, { headers });
  check(daily, 'daily');
  const { days } = daily.json() as { days: { date: string; kwh: number }[] };
  if (days.length > 0) {
    await ctx.points(
      'energy.electricity.daily',
      days.map((d) => ({ usagePointId: '09123456789012', date: d.date, energyKwh: d.kwh })),
    );
  }
  ctx.cursor.set({ seq: last, day: days.at(-1)?.date ?? cursor.day });
  ctx.log(`${done} bills, ${days.length} days`);
}
