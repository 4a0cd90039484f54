import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { parseFaultSpecs } from '../faults/fault-config.js';
import { atParis } from '../household/days.js';
import { createHousehold, type Customer } from '../household/household.js';
import { serveHolder, type RunningHolder } from '../serve-holder.js';
import { formBody, formOf } from '../testing/html-form.js';
import { createBankHolder, type BankHolderOptions } from './bank-holder.js';

const household = createHousehold({ seed: 'bank-test' });
const family = household.customer('family');
const login = family.logins.bank as NonNullable<Customer['logins']['bank']>;

type App = ReturnType<typeof createBankHolder>;
interface Psd2Body {
  tppMessages?: { code: string }[];
  [k: string]: unknown;
}

function bank(extra: Partial<BankHolderOptions> = {}) {
  const clock = manualClock(atParis('2026-11-24', 10));
  const app = createBankHolder({ household, clock, ...extra });
  return { app, clock };
}

const api = (consentId?: string, more: Record<string, string> = {}) => ({
  headers: { 'x-request-id': randomUUID(), ...(consentId ? { 'consent-id': consentId } : {}), ...more },
});

const consentRequest = (body: Record<string, unknown> = {}): RequestInit => ({
  method: 'POST',
  headers: { ...api().headers, 'content-type': 'application/json', 'tpp-redirect-uri': 'http://127.0.0.1:9/back' },
  body: JSON.stringify({
    access: { allPsd2: 'allAccounts' },
    recurringIndicator: true,
    validUntil: '2027-01-31',
    frequencyPerDay: 4,
    ...body,
  }),
});

async function createConsent(
  app: App,
  body: Record<string, unknown> = {},
): Promise<{ consentId: string; sca: string }> {
  const res = await app.request('/v1/consents', consentRequest(body));
  expect(res.status).toBe(201);
  const json = (await res.json()) as {
    consentId: string;
    consentStatus: string;
    _links: { scaRedirect: { href: string } };
  };
  expect(json.consentStatus).toBe('received');
  return { consentId: json.consentId, sca: new URL(json._links.scaRedirect.href).pathname };
}

/** The customer at the bank: login page, optional code, the consent page. */
async function authorise(app: App, sca: string, credentials = login, otp?: string): Promise<Response> {
  const page = formOf(await (await app.request(sca)).text());
  let res = await app.request(
    page.action,
    formBody({ ...page.fields, username: credentials.username, password: credentials.password, action: 'login' }),
  );
  if (res.status !== 200) return res;
  let html = await res.text();
  if (html.includes('name="otp"')) {
    const form = formOf(html);
    res = await app.request(form.action, formBody({ ...form.fields, otp: otp ?? credentials.otp }));
    if (res.status !== 200) return res;
    html = await res.text();
  }
  const consent = formOf(html);
  return app.request(consent.action, formBody({ ...consent.fields, accept: 'yes', decision: 'allow' }));
}

async function validConsent(app: App, body: Record<string, unknown> = {}): Promise<string> {
  const { consentId, sca } = await createConsent(app, body);
  const res = await authorise(app, sca);
  expect(res.status).toBe(302);
  expect(res.headers.get('location')).toBe('http://127.0.0.1:9/back');
  return consentId;
}

const json = async (res: Response): Promise<Psd2Body> => (await res.json()) as Psd2Body;

describe('consents', () => {
  it('goes from received to valid through the bank’s login and consent pages', async () => {
    const { app } = bank();
    const { consentId, sca } = await createConsent(app);
    expect(await json(await app.request(`/v1/consents/${consentId}/status`, api()))).toEqual({
      consentStatus: 'received',
    });
    expect((await authorise(app, sca)).status).toBe(302);
    expect(await json(await app.request(`/v1/consents/${consentId}/status`, api()))).toEqual({
      consentStatus: 'valid',
    });
    const details = await json(await app.request(`/v1/consents/${consentId}`, api()));
    expect(details).toMatchObject({
      validUntil: '2027-01-31',
      frequencyPerDay: 4,
      recurringIndicator: true,
      consentStatus: 'valid',
    });
  });

  it('lists the accounts when its household serves only up to the clock (as every other holder does)', async () => {
    const clock = manualClock(atParis('2026-11-24', 10));
    const clocked = createHousehold({ seed: 'bank-test', clock });
    const app = createBankHolder({ household: clocked, clock });
    const consentId = await validConsent(app);
    const listed = await json(await app.request('/v1/accounts', api(consentId)));
    const expected = household.records('family', 'bank', 'bank.account', { from: '2026-11-23', to: '2026-11-23' });
    expect(expected.length).toBeGreaterThan(0);
    expect((listed.accounts as unknown[]).length).toBe(expected.length);
  });

  it('shortens a consent to 180 days', async () => {
    const { app } = bank();
    const id = await validConsent(app, { validUntil: '2030-01-01' });
    expect((await json(await app.request(`/v1/consents/${id}`, api()))).validUntil).toBe('2027-05-23');
  });

  it('refuses wrong credentials and accepts them after', async () => {
    const { app } = bank();
    const { sca } = await createConsent(app);
    const res = await authorise(app, sca, { ...login, password: 'wrong' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('incorrect');
    expect((await authorise(app, sca)).status).toBe(302);
  });

  it('rejects the consent when the customer cancels', async () => {
    const { app } = bank();
    const { consentId, sca } = await createConsent(app);
    const page = formOf(await (await app.request(sca)).text());
    const res = await app.request(page.action, formBody({ ...page.fields, action: 'cancel' }));
    expect(res.status).toBe(302);
    expect(await json(await app.request(`/v1/consents/${consentId}/status`, api()))).toEqual({
      consentStatus: 'rejected',
    });
    const data = await app.request('/v1/accounts', api(consentId));
    expect(data.status).toBe(401);
    expect((await json(data)).tppMessages?.[0]?.code).toBe('CONSENT_INVALID');
  });

  it.each([
    [{ validUntil: '2020-01-01' }, 'PERIOD_INVALID'],
    [{ validUntil: 'soon' }, 'FORMAT_ERROR'],
    [{ frequencyPerDay: 0 }, 'FORMAT_ERROR'],
    [{ recurringIndicator: false, frequencyPerDay: 4 }, 'FORMAT_ERROR'],
    [{ access: { everything: true } }, 'FORMAT_ERROR'],
  ])('rejects the consent request %j with %s', async (body, code) => {
    const { app } = bank();
    const res = await app.request('/v1/consents', consentRequest(body));
    expect(res.status).toBe(400);
    expect((await json(res)).tppMessages?.[0]?.code).toBe(code);
  });

  it('requires X-Request-ID and TPP-Redirect-URI', async () => {
    const { app } = bank();
    const noId = await app.request('/v1/consents', { method: 'POST', body: '{}' });
    expect(noId.status).toBe(400);
    expect((await json(noId)).tppMessages?.[0]?.code).toBe('FORMAT_ERROR');
    const noRedirect = await app.request('/v1/consents', { method: 'POST', ...api(), body: '{}' });
    expect(noRedirect.status).toBe(400);
  });

  it('answers 403 CONSENT_UNKNOWN for an unknown consent, and ends a deleted one', async () => {
    const { app } = bank();
    const res = await app.request('/v1/accounts', api('nope'));
    expect(res.status).toBe(403);
    expect((await json(res)).tppMessages?.[0]?.code).toBe('CONSENT_UNKNOWN');
    const id = await validConsent(app);
    expect((await app.request(`/v1/consents/${id}`, { method: 'DELETE', ...api() })).status).toBe(204);
    expect((await app.request('/v1/accounts', api(id))).status).toBe(401);
  });

  it('expires with validUntil: 401 CONSENT_EXPIRED', async () => {
    const { app, clock } = bank();
    const id = await validConsent(app, { validUntil: '2026-11-30' });
    expect((await app.request('/v1/accounts', api(id))).status).toBe(200);
    clock.advance(7 * 86_400_000);
    const res = await app.request('/v1/accounts', api(id));
    expect(res.status).toBe(401);
    expect((await json(res)).tppMessages?.[0]?.code).toBe('CONSENT_EXPIRED');
    expect(await json(await app.request(`/v1/consents/${id}/status`, api()))).toEqual({ consentStatus: 'expired' });
  });

  it('counts unattended accesses per resource against frequencyPerDay: 429 ACCESS_EXCEEDED', async () => {
    const { app, clock } = bank();
    const id = await validConsent(app, { frequencyPerDay: 2 });
    expect((await app.request('/v1/accounts', api(id))).status).toBe(200);
    expect((await app.request('/v1/accounts', api(id))).status).toBe(200);
    const third = await app.request('/v1/accounts', api(id));
    expect(third.status).toBe(429);
    expect((await json(third)).tppMessages?.[0]?.code).toBe('ACCESS_EXCEEDED');
    // With the customer present, and on another day, access is allowed again.
    expect((await app.request('/v1/accounts', api(id, { 'psu-ip-address': '192.0.2.1' }))).status).toBe(200);
    clock.advance(86_400_000);
    expect((await app.request('/v1/accounts', api(id))).status).toBe(200);
  });
});

describe('accounts, balances, transactions', () => {
  let app: App;
  let consentId: string;
  beforeAll(async () => {
    app = bank().app;
    consentId = await validConsent(app, { frequencyPerDay: 100 });
  });

  it('lists the customer’s accounts with links', async () => {
    const body = (await json(await app.request('/v1/accounts', api(consentId)))) as {
      accounts: Record<string, unknown>[];
    };
    expect(body.accounts.map((a) => a.iban)).toEqual([
      family.bank.checking.iban,
      family.bank.savings.iban,
      family.bank.loan?.iban,
    ]);
    expect(body.accounts[0]).toMatchObject({
      cashAccountType: 'CACC',
      currency: 'EUR',
      resourceId: family.bank.checking.accountId,
    });
    const one = await app.request(`/v1/accounts/${family.bank.savings.accountId}`, api(consentId));
    expect(((await json(one)).account as { cashAccountType: string }).cashAccountType).toBe('SVGS');
    expect((await app.request('/v1/accounts/acc-nope/balances', api(consentId))).status).toBe(404);
  });

  it('gives balances that agree with the household', async () => {
    const id = family.bank.checking.accountId;
    const body = (await json(await app.request(`/v1/accounts/${id}/balances`, api(consentId)))) as {
      balances: { balanceType: string; balanceAmount: { amount: string }; referenceDate?: string }[];
    };
    const interim = body.balances.find((b) => b.balanceType === 'interimAvailable');
    expect(Number(interim?.balanceAmount.amount)).toBeCloseTo(household.balance('family', id, '2026-11-23'), 2);
    expect(body.balances.find((b) => b.balanceType === 'closingBooked')?.referenceDate).toBe('2026-11-23');
  });

  it('pages booked transactions with _links until the last, pending ones on the first page', async () => {
    const id = family.bank.checking.accountId;
    const seen: Record<string, unknown>[] = [];
    let href: string | undefined = `/v1/accounts/${id}/transactions?dateFrom=2026-01-01&bookingStatus=both`;
    let pages = 0;
    let pending: unknown[] = [];
    while (href) {
      const body = (await json(await app.request(href, api(consentId)))) as {
        transactions: { booked: Record<string, unknown>[]; pending?: unknown[]; _links: { next?: { href: string } } };
      };
      if (pages === 0) pending = body.transactions.pending ?? [];
      else expect(body.transactions.pending).toBeUndefined();
      seen.push(...body.transactions.booked);
      href = body.transactions._links.next?.href;
      pages++;
    }
    const expected = household
      .records('family', 'bank', 'bank.transaction', { from: '2026-01-01', to: '2026-11-23' })
      .filter((r) => r.data.accountId === id);
    expect(pages).toBe(Math.ceil((expected.length - pending.length) / 100));
    expect(seen.length + pending.length).toBe(expected.length);
    expect(new Set(seen.map((t) => t.transactionId)).size).toBe(seen.length);
    expect((seen[0]?.bookingDate as string) >= (seen.at(-1)?.bookingDate as string)).toBe(true);
    const debit = seen.find((t) => t.proprietaryBankTransactionCode === 'direct_debit') as Record<string, unknown>;
    expect(debit).toMatchObject({ bankTransactionCode: 'PMNT-IDDT-ESDD', transactionAmount: { currency: 'EUR' } });
    expect(typeof (debit.transactionAmount as { amount: unknown }).amount).toBe('string');
    expect(debit.creditorId).toMatch(/^FR\d\dZZZ/);
    for (const p of pending as Record<string, unknown>[]) {
      expect(p.bookingDate).toBeUndefined();
      expect(p.proprietaryBankTransactionCode).toBe('card');
    }
  });

  it.each([
    ['dateFrom=yesterday&bookingStatus=booked', 400, 'FORMAT_ERROR'],
    ['dateFrom=2026-01-01', 400, 'PARAMETER_NOT_SUPPORTED'],
    ['dateFrom=2026-01-01&bookingStatus=information', 400, 'PARAMETER_NOT_SUPPORTED'],
    ['dateFrom=2026-03-01&dateTo=2026-02-01&bookingStatus=booked', 400, 'PERIOD_INVALID'],
    ['dateFrom=2027-01-01&bookingStatus=booked', 400, 'PERIOD_INVALID'],
    ['dateFrom=2026-01-01&bookingStatus=booked&offset=999999', 400, 'FORMAT_ERROR'],
  ])('rejects transactions?%s with %i %s', async (query, status, code) => {
    const res = await app.request(
      `/v1/accounts/${family.bank.checking.accountId}/transactions?${query}`,
      api(consentId),
    );
    expect(res.status).toBe(status);
    expect((await json(res)).tppMessages?.[0]?.code).toBe(code);
  });

  it('limits a consent to the accounts it names', async () => {
    const id = await validConsent(app, {
      access: { accounts: [{ iban: family.bank.checking.iban }], transactions: [{ iban: family.bank.checking.iban }] },
    });
    const list = (await json(await app.request('/v1/accounts', api(id)))) as { accounts: unknown[] };
    expect(list.accounts).toHaveLength(1);
    const res = await app.request(`/v1/accounts/${family.bank.checking.accountId}/balances`, api(id));
    expect(res.status).toBe(401);
    expect((await json(res)).tppMessages?.[0]?.code).toBe('CONSENT_INVALID');
  });
});

describe('faults at the bank', () => {
  it('expires the consent for good with CONSENT_EXPIRED', async () => {
    const { app } = bank({ faults: parseFaultSpecs(['expired-credentials=every:2']) });
    const id = await validConsent(app);
    expect((await app.request('/v1/accounts', api(id))).status).toBe(200);
    const res = await app.request('/v1/accounts', api(id));
    expect(res.status).toBe(401);
    expect((await json(res)).tppMessages?.[0]?.code).toBe('CONSENT_EXPIRED');
    expect(await json(await app.request(`/v1/consents/${id}/status`, api()))).toEqual({ consentStatus: 'expired' });
  });

  it('asks for the SMS code at login, and refuses a wrong one', async () => {
    const { app } = bank({ faults: parseFaultSpecs(['second-factor=always']) });
    const { sca } = await createConsent(app);
    expect((await authorise(app, sca, login, '000000')).status).toBe(401);
    expect((await authorise(app, sca)).status).toBe(302);
  });

  it('serves short pages whose links still reach every transaction once', async () => {
    const { app } = bank({ faults: parseFaultSpecs(['short-page=every:2,size=7']) });
    const id = await validConsent(app, { frequencyPerDay: 50 });
    const account = family.bank.checking.accountId;
    let href: string | undefined = `/v1/accounts/${account}/transactions?dateFrom=2026-09-01&bookingStatus=booked`;
    const ids: string[] = [];
    let short = 0;
    while (href) {
      const res = await app.request(href, api(id));
      if (res.headers.get('x-foyer-fault') === 'short-page') short++;
      const body = (await json(res)) as {
        transactions: { booked: { transactionId: string }[]; _links: { next?: { href: string } } };
      };
      ids.push(...body.transactions.booked.map((t) => t.transactionId));
      href = body.transactions._links.next?.href;
    }
    const expected = household
      .records('family', 'bank', 'bank.transaction', { from: '2026-09-01', to: '2026-11-23' })
      .filter((r) => r.data.accountId === account && !(r.data.type === 'card' && r.day >= '2026-11-22'));
    expect(short).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(expected.length);
  });

  it('answers 429 ACCESS_EXCEEDED with Retry-After and 500 in the PSD2 shape', async () => {
    const { app } = bank({ faults: parseFaultSpecs(['rate-limit=always,retry-after=9,paths=/v1/accounts']) });
    const id = await validConsent(app);
    const res = await app.request('/v1/accounts', api(id));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('9');
    expect((await json(res)).tppMessages?.[0]?.code).toBe('ACCESS_EXCEEDED');
    const broken = bank({ faults: parseFaultSpecs(['server-error=always,paths=/v1/accounts']) }).app;
    const id2 = await validConsent(broken);
    expect((await json(await broken.request('/v1/accounts', api(id2)))).tppMessages?.[0]?.code).toBe(
      'INTERNAL_SERVER_ERROR',
    );
  });
});

describe('on a real socket', () => {
  let running: RunningHolder;
  beforeAll(async () => {
    running = await serveHolder(bank().app);
  });
  afterAll(() => running.close());

  it('listens on loopback and serves the same API', async () => {
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/v1/consents`, consentRequest({ validUntil: '2027-01-01' }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { _links: { scaRedirect: { href: string } } };
    expect(body._links.scaRedirect.href.startsWith(`${running.url}/sca/consents/`)).toBe(true);
    expect((await fetch(body._links.scaRedirect.href)).status).toBe(200);
  });
});
