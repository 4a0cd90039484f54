/**
 * The simulated bank, in the style of the Berlin Group NextGenPSD2 account information API:
 * the third party creates a consent (validUntil, frequencyPerDay), the customer authorises it at
 * the bank (redirect SCA: the bank's login page, sometimes a code), then the consent reads
 * accounts, balances and transactions (booked and pending, paged with `_links`) until it expires.
 * Errors are `tppMessages` with the PSD2 codes. See docs/simulated-holders.md.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import { noFaults, type FaultConfig } from '../faults/fault-config.js';
import { faultInjection, faultMarks, pageSize } from '../faults/fault-injection.js';
import { consentPage, loginPage, otpPage } from '../holder-pages.js';
import type { Customer, Household, HolderRecord } from '../household/household.js';
import { addDays, dayOfInstant, isDay, lastAvailableDay } from '../household/days.js';
import { vendors } from '../household/vendors.js';
import { createConsentStore, type Consent } from './bank-consents.js';
import { psd2Account, psd2Amount, psd2Transaction, tppMessages, type Psd2Error } from './psd2-format.js';
import { randomHex } from '../../platform/random-hex.js';

export interface BankHolderOptions {
  household: Household;
  clock: Clock;
  faults?: FaultConfig;
  /** Booked transactions per page. */
  pageSize?: number;
  /** The longest consent the bank grants, in days (PSD2: 180 days between authentications). */
  maxConsentDays?: number;
}

const frame = { holder: vendors.bank.name, title: 'Autoriser l’accès à vos comptes' };

const ibanList = z.array(z.object({ iban: z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/) }).strict()).max(20);
const consentBody = z
  .object({
    access: z.union([
      z.object({ allPsd2: z.enum(['allAccounts', 'allAccountsWithOwnerName']) }).strict(),
      z
        .object({ accounts: ibanList.optional(), balances: ibanList.optional(), transactions: ibanList.optional() })
        .strict(),
    ]),
    recurringIndicator: z.boolean(),
    validUntil: z.string().refine(isDay, 'a day YYYY-MM-DD'),
    frequencyPerDay: z.number().int().min(1).max(100),
    combinedServiceIndicator: z.boolean().optional(),
  })
  .strict();

const transactionsQuery = z.object({
  dateFrom: z.string().refine(isDay, 'dateFrom must be a day YYYY-MM-DD'),
  dateTo: z.string().refine(isDay, 'dateTo must be a day YYYY-MM-DD').optional(),
  bookingStatus: z.enum(['booked', 'pending', 'both']),
  offset: z.coerce.number().int().min(0).optional(),
  withBalance: z.enum(['true', 'false']).optional(),
});

class Psd2Failure extends Error {
  constructor(readonly error: Psd2Error) {
    super(error.text);
  }
}

const fail = (status: Psd2Error['status'], code: string, text: string): Psd2Failure =>
  new Psd2Failure({ status, code, text });

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createBankHolder(options: BankHolderOptions): Hono {
  const { household, clock } = options;
  const perPage = options.pageSize ?? 100;
  const maxConsentDays = options.maxConsentDays ?? 180;
  const consents = createConsentStore();
  /** Logins waiting for their second factor, by one-time ticket. */
  const pendingOtp = new Map<string, { consentId: string; customerId: string }>();
  const today = (): string => dayOfInstant(clock.now());
  /**
   * The customer's accounts as the bank shows them now: those opened by the last day it serves (a
   * household given the clock serves nothing after that day, so asking for today would get none).
   */
  const accountsNow = (customerId: string): HolderRecord[] => {
    const last = lastAvailableDay(clock.now());
    return household.records(customerId, 'bank', 'bank.account', { from: last, to: last });
  };

  const bankCustomers = (): Customer[] => household.customers.filter((c) => c.holders.includes('bank'));
  const authenticate = (username: string, password: string): Customer | undefined =>
    bankCustomers().find((c) => c.logins.bank?.username === username && c.logins.bank.password === password);

  const app = new Hono();
  app.onError((e, c) => {
    if (e instanceof Psd2Failure) return c.json(tppMessages(e.error), e.error.status);
    return c.json(tppMessages({ code: 'INTERNAL_SERVER_ERROR', text: 'The bank could not answer' }), 500);
  });
  app.notFound((c) => c.json(tppMessages({ code: 'RESOURCE_UNKNOWN', text: `No resource at ${c.req.path}` }), 404));

  app.use(
    '*',
    faultInjection(options.faults ?? noFaults(), {
      credentialsOf: (c) => c.req.header('consent-id'),
      applies: {
        'second-factor': (c) => c.req.method === 'POST' && c.req.path.endsWith('/login'),
        'short-page': (c) => c.req.path.endsWith('/transactions'),
      },
      respond: {
        'rate-limit': (c) => c.json(tppMessages({ code: 'ACCESS_EXCEEDED', text: 'Too many requests' }), 429),
        'server-error': (c) => c.json(tppMessages({ code: 'INTERNAL_SERVER_ERROR', text: 'Temporary failure' }), 500),
        'expired-credentials': (c) => {
          const consent = consents.get(c.req.header('consent-id') ?? '');
          if (consent && consent.status === 'valid') consent.status = 'expired';
          return c.json(tppMessages({ code: 'CONSENT_EXPIRED', text: 'The consent has expired' }), 401);
        },
      },
    }),
  );

  // Every API call names itself with a UUID, as PSD2 requires; the bank echoes it.
  app.use('/v1/*', async (c, next) => {
    const requestId = c.req.header('x-request-id');
    if (!requestId || !uuid.test(requestId)) throw fail(400, 'FORMAT_ERROR', 'X-Request-ID must be a UUID');
    await next();
    c.res.headers.set('x-request-id', requestId);
  });

  const consentLinks = (consent: Consent, origin: string) => ({
    scaRedirect: { href: `${origin}/sca/consents/${consent.id}` },
    self: { href: `/v1/consents/${consent.id}` },
    status: { href: `/v1/consents/${consent.id}/status` },
  });

  app.post('/v1/consents', async (c) => {
    const redirectUri = c.req.header('tpp-redirect-uri');
    if (!redirectUri || !/^https?:\/\//.test(redirectUri))
      throw fail(400, 'FORMAT_ERROR', 'TPP-Redirect-URI is required: this bank only offers the redirect approach');
    let body: z.infer<typeof consentBody>;
    try {
      body = consentBody.parse(await c.req.json());
    } catch {
      throw fail(400, 'FORMAT_ERROR', 'The consent request is not a valid NextGenPSD2 consent body');
    }
    if (!body.recurringIndicator && body.frequencyPerDay > 1)
      throw fail(400, 'FORMAT_ERROR', 'A one-off consent (recurringIndicator false) allows one access a day');
    if (body.validUntil < today()) throw fail(400, 'PERIOD_INVALID', 'validUntil is in the past');
    // The bank shortens what it will not grant, and says so in the consent it returns.
    const cap = addDays(today(), maxConsentDays);
    const access =
      'allPsd2' in body.access
        ? { all: true as const }
        : {
            accounts: (body.access.accounts ?? []).map((a) => a.iban),
            balances: (body.access.balances ?? []).map((a) => a.iban),
            transactions: (body.access.transactions ?? []).map((a) => a.iban),
          };
    const consent = consents.create({
      status: 'received',
      access:
        'all' in access || access.accounts.length + access.balances.length + access.transactions.length > 0
          ? access
          : { all: true },
      recurringIndicator: body.recurringIndicator,
      validUntil: body.validUntil > cap ? cap : body.validUntil,
      frequencyPerDay: body.frequencyPerDay,
      redirectUri,
      ...(c.req.header('tpp-nok-redirect-uri') ? { nokRedirectUri: c.req.header('tpp-nok-redirect-uri') } : {}),
      lastActionDate: today(),
    });
    const origin = new URL(c.req.url).origin;
    return c.json({ consentStatus: consent.status, consentId: consent.id, _links: consentLinks(consent, origin) }, 201);
  });

  const consentOf = (id: string): Consent => {
    const consent = consents.get(id);
    if (!consent) throw fail(403, 'CONSENT_UNKNOWN', 'No such consent');
    if (consent.status === 'valid' && consent.validUntil < today()) consent.status = 'expired';
    return consent;
  };

  app.get('/v1/consents/:id/status', (c) => c.json({ consentStatus: consentOf(c.req.param('id')).status }));
  app.get('/v1/consents/:id', (c) => {
    const consent = consentOf(c.req.param('id'));
    const access =
      'all' in consent.access
        ? { allPsd2: 'allAccounts' }
        : Object.fromEntries(
            Object.entries(consent.access).map(([k, ibans]) => [k, (ibans as string[]).map((iban) => ({ iban }))]),
          );
    return c.json({
      access,
      recurringIndicator: consent.recurringIndicator,
      validUntil: consent.validUntil,
      frequencyPerDay: consent.frequencyPerDay,
      lastActionDate: consent.lastActionDate,
      consentStatus: consent.status,
      _links: { status: { href: `/v1/consents/${consent.id}/status` } },
    });
  });
  app.delete('/v1/consents/:id', (c) => {
    const consent = consentOf(c.req.param('id'));
    consent.status = 'terminatedByTpp';
    return c.body(null, 204);
  });

  // The customer's side: the bank's own login page, the second factor, the accounts shared.
  const scaFields = (id: string): Record<string, string> => ({ consent: id });
  const scaConsent = (id: string): Consent => {
    const consent = consents.get(id);
    if (!consent || consent.status !== 'received')
      throw fail(404, 'RESOURCE_UNKNOWN', 'No consent awaits authorisation here');
    return consent;
  };
  const finish = (c: Context, consent: Consent, customerId: string): Response => {
    const customer = household.customer(customerId);
    const ibans = accountsNow(customerId).map((r) => `${r.data.label as string} — ${r.data.iban as string}`);
    return c.html(
      consentPage(
        frame,
        `/sca/consents/${consent.id}/authorise`,
        { ...scaFields(consent.id), ticket: issueTicket(consent.id, customer.id) },
        [`Jusqu'au ${consent.validUntil}, ${consent.frequencyPerDay} consultations par jour`, ...ibans],
      ),
    );
  };
  const issueTicket = (consentId: string, customerId: string): string => {
    const ticket = randomHex(24);
    pendingOtp.set(ticket, { consentId, customerId });
    return ticket;
  };

  app.get('/sca/consents/:id', (c) => {
    const consent = scaConsent(c.req.param('id'));
    return c.html(loginPage(frame, `/sca/consents/${consent.id}/login`, scaFields(consent.id)));
  });

  app.post('/sca/consents/:id/login', async (c) => {
    const consent = scaConsent(c.req.param('id'));
    const form = await c.req.parseBody();
    if (form.action === 'cancel') {
      consent.status = 'rejected';
      return c.redirect(consent.nokRedirectUri ?? consent.redirectUri, 302);
    }
    const customer = authenticate(String(form.username ?? ''), String(form.password ?? ''));
    if (!customer)
      return c.html(
        loginPage(
          frame,
          `/sca/consents/${consent.id}/login`,
          scaFields(consent.id),
          'Identifiant ou mot de passe incorrect',
        ),
        401,
      );
    if (faultMarks(c).secondFactor)
      return c.html(
        otpPage(frame, `/sca/consents/${consent.id}/otp`, {
          ...scaFields(consent.id),
          ticket: issueTicket(consent.id, customer.id),
        }),
      );
    return finish(c, consent, customer.id);
  });

  app.post('/sca/consents/:id/otp', async (c) => {
    const consent = scaConsent(c.req.param('id'));
    const form = await c.req.parseBody();
    const ticket = pendingOtp.get(String(form.ticket ?? ''));
    if (!ticket || ticket.consentId !== consent.id)
      throw fail(401, 'PSU_CREDENTIALS_INVALID', 'The login has expired, start again');
    const expected = household.customer(ticket.customerId).logins.bank?.otp;
    if (String(form.otp ?? '') !== expected)
      return c.html(
        otpPage(
          frame,
          `/sca/consents/${consent.id}/otp`,
          { ...scaFields(consent.id), ticket: String(form.ticket) },
          'Code incorrect',
        ),
        401,
      );
    pendingOtp.delete(String(form.ticket));
    return finish(c, consent, ticket.customerId);
  });

  app.post('/sca/consents/:id/authorise', async (c) => {
    const consent = scaConsent(c.req.param('id'));
    const form = await c.req.parseBody();
    const ticket = pendingOtp.get(String(form.ticket ?? ''));
    if (!ticket || ticket.consentId !== consent.id)
      throw fail(401, 'PSU_CREDENTIALS_INVALID', 'The login has expired, start again');
    pendingOtp.delete(String(form.ticket));
    if (form.decision !== 'allow') {
      consent.status = 'rejected';
      return c.redirect(consent.nokRedirectUri ?? consent.redirectUri, 302);
    }
    consent.status = 'valid';
    consent.customerId = ticket.customerId;
    return c.redirect(consent.redirectUri, 302);
  });

  /** The valid consent of a data request, counted against its frequencyPerDay when unattended. */
  const authorised = (c: Context, resource: string): Consent & { customerId: string } => {
    const id = c.req.header('consent-id');
    if (!id) throw fail(401, 'CONSENT_INVALID', 'Consent-ID header is required');
    const consent = consentOf(id);
    if (consent.status === 'expired')
      throw fail(401, 'CONSENT_EXPIRED', `The consent expired after ${consent.validUntil}`);
    if (consent.status !== 'valid' || !consent.customerId)
      throw fail(401, 'CONSENT_INVALID', `The consent is ${consent.status}`);
    const attended = c.req.header('psu-ip-address') !== undefined;
    if (!attended && c.req.query('offset') === undefined) {
      const key = `${today()}|${resource}`;
      const used = consent.usage.get(key) ?? 0;
      if (used >= consent.frequencyPerDay)
        throw fail(
          429,
          'ACCESS_EXCEEDED',
          `frequencyPerDay (${consent.frequencyPerDay}) reached for ${resource} today`,
        );
      consent.usage.set(key, used + 1);
    }
    consent.lastActionDate = today();
    return consent as Consent & { customerId: string };
  };

  const accountsOf = (
    consent: Consent & { customerId: string },
    service: 'accounts' | 'balances' | 'transactions',
  ): HolderRecord[] => {
    const all = accountsNow(consent.customerId);
    if ('all' in consent.access) return all;
    const ibans = consent.access[service];
    return all.filter((a) => ibans.includes(a.data.iban as string));
  };

  const accountFor = (
    consent: Consent & { customerId: string },
    service: 'accounts' | 'balances' | 'transactions',
    id: string,
  ): HolderRecord => {
    const account = accountsOf(consent, service).find((a) => a.data.accountId === id);
    if (account) return account;
    const exists = accountsNow(consent.customerId).some((a) => a.data.accountId === id);
    throw exists
      ? fail(401, 'CONSENT_INVALID', `The consent does not cover ${service} of this account`)
      : fail(404, 'RESOURCE_UNKNOWN', 'No such account');
  };

  app.get('/v1/accounts', (c) => {
    const consent = authorised(c, 'accounts');
    const customer = household.customer(consent.customerId);
    return c.json({ accounts: accountsOf(consent, 'accounts').map((a) => psd2Account(a, customer)) });
  });

  app.get('/v1/accounts/:id', (c) => {
    const id = c.req.param('id');
    const consent = authorised(c, `accounts/${id}`);
    return c.json({
      account: psd2Account(accountFor(consent, 'accounts', id), household.customer(consent.customerId)),
    });
  });

  /** Card payments of the last two available days are still pending: booked the next business day. */
  const isPending = (r: HolderRecord, last: string): boolean => r.data.type === 'card' && r.day >= addDays(last, -1);

  const balancesOf = (consent: Consent & { customerId: string }, account: HolderRecord) => {
    const last = lastAvailableDay(clock.now());
    const id = account.data.accountId as string;
    const total = household.balance(consent.customerId, id, last);
    const pending = household
      .records(consent.customerId, 'bank', 'bank.transaction', { from: addDays(last, -1), to: last })
      .filter((r) => r.data.accountId === id && isPending(r, last))
      .reduce((s, r) => s + (r.data.amount as number), 0);
    return [
      { balanceType: 'closingBooked', balanceAmount: psd2Amount(total - pending), referenceDate: last },
      {
        balanceType: 'interimAvailable',
        balanceAmount: psd2Amount(total),
        lastChangeDateTime: new Date(clock.now()).toISOString(),
      },
    ];
  };

  app.get('/v1/accounts/:id/balances', (c) => {
    const id = c.req.param('id');
    const consent = authorised(c, `balances/${id}`);
    const account = accountFor(consent, 'balances', id);
    return c.json({ account: { iban: account.data.iban }, balances: balancesOf(consent, account) });
  });

  app.get('/v1/accounts/:id/transactions', (c) => {
    const id = c.req.param('id');
    const parsed = transactionsQuery.safeParse(c.req.query());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const name = String(issue?.path[0] ?? '');
      throw name === 'bookingStatus'
        ? fail(400, 'PARAMETER_NOT_SUPPORTED', 'bookingStatus must be booked, pending or both')
        : fail(400, 'FORMAT_ERROR', issue?.message ?? 'Invalid query');
    }
    const q = parsed.data;
    const consent = authorised(c, `transactions/${id}`);
    const account = accountFor(consent, 'transactions', id);
    const window = household.window(clock.now());
    const dateTo = q.dateTo ?? window.to;
    if (q.dateFrom > dateTo) throw fail(400, 'PERIOD_INVALID', 'dateFrom is after dateTo');
    if (q.dateFrom > today()) throw fail(400, 'PERIOD_INVALID', 'dateFrom is in the future');
    const from = q.dateFrom < window.from ? window.from : q.dateFrom;
    const to = dateTo > window.to ? window.to : dateTo;
    const all =
      from > to
        ? []
        : household
            .records(consent.customerId, 'bank', 'bank.transaction', { from, to })
            .filter((r) => r.data.accountId === id);
    // Newest first, as bank statements read on screen.
    all.reverse();
    const booked = all.filter((r) => !isPending(r, window.to));
    const pending = all.filter((r) => isPending(r, window.to));
    // Links carry an offset, not a page number: a short page then moves the next one along.
    const size = pageSize(c, perPage);
    const offset = q.offset ?? 0;
    if (offset > 0 && offset >= booked.length)
      throw fail(400, 'FORMAT_ERROR', `offset ${offset} is past the last transaction`);
    const served = booked.slice(offset, offset + size);
    const link = (o: number) => {
      const params = new URLSearchParams({ dateFrom: q.dateFrom, bookingStatus: q.bookingStatus });
      if (q.dateTo) params.set('dateTo', q.dateTo);
      if (o > 0) params.set('offset', String(o));
      return { href: `/v1/accounts/${id}/transactions?${params.toString()}` };
    };
    const transactions: Record<string, unknown> = {};
    if (q.bookingStatus !== 'pending') transactions.booked = served.map((r) => psd2Transaction(r, false));
    if (q.bookingStatus !== 'booked' && offset === 0)
      transactions.pending = pending.map((r) => psd2Transaction(r, true));
    const next = offset + served.length;
    transactions._links = {
      account: { href: `/v1/accounts/${id}` },
      first: link(0),
      last: link(Math.max(0, Math.floor((booked.length - 1) / perPage) * perPage)),
      ...(offset > 0 ? { previous: link(Math.max(0, offset - perPage)) } : {}),
      ...(next < booked.length && q.bookingStatus !== 'pending' ? { next: link(next) } : {}),
    };
    return c.json({
      account: { iban: account.data.iban },
      transactions,
      ...(q.withBalance === 'true' ? { balances: balancesOf(consent, account) } : {}),
    });
  });

  return app;
}
