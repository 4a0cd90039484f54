/**
 * The simulated electricity distributor, in the style of the French distributor's metering API
 * (Enedis Data Connect): the customer consents at the distributor (its login, then a consent page
 * with a duration) and is sent back with the usage point id; the application takes a
 * client-credentials token and reads daily consumption (365 days a call), the 30-minute load curve
 * (7 days a call), the daily maximum power, the contract and the address. The supplier that bills
 * (Lumen Énergie) answers beside it under /supplier. See docs/simulated-holders.md.
 */
import { Hono, type Context } from 'hono';
import type { Clock } from '../../platform/clock.js';
import { randomHex } from '../../platform/random-hex.js';
import { noFaults, type FaultConfig } from '../faults/fault-config.js';
import { faultInjection, faultMarks } from '../faults/fault-injection.js';
import { consentPage, loginPage, otpPage } from '../holder-pages.js';
import { addDays, addMonths, dayNumber, dayOfInstant, isDay } from '../household/days.js';
import type { Customer, Household, HolderRecord } from '../household/household.js';
import { electricityDistributor } from '../household/vendors.js';
import {
  dailyReading,
  enedisError,
  loadCurveReading,
  maxPowerReading,
  meterReading,
  type ReadingType,
} from './enedis-format.js';

export interface ElectricityClient {
  clientId: string;
  clientSecret: string;
  name: string;
  /** Where consents may send the customer back; any http(s) address when absent. */
  redirectUris?: string[];
}

export interface ElectricityHolderOptions {
  household: Household;
  clock: Clock;
  clients: ElectricityClient[];
  faults?: FaultConfig;
}

/** Seconds an access token lives, as the distributor's gateway grants them. */
export const TOKEN_LIFETIME_SECONDS = 12_600;

interface Consent {
  clientId: string;
  usagePointId: string;
  customerId: string;
  until: string;
}

class EnedisFailure extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 500,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const frame = { holder: electricityDistributor, title: 'Partager vos données de consommation' };
const usagePointPattern = /^[0-9]{14}$/;
const durationPattern = /^P(\d+)([DMY])$/;

function endOfDuration(start: string, duration: string): string | undefined {
  const m = durationPattern.exec(duration);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (n < 1) return undefined;
  const end = m[2] === 'D' ? addDays(start, n) : addMonths(start, m[2] === 'M' ? n : 12 * n);
  // The distributor grants at most three years.
  return end > addMonths(start, 36) ? undefined : end;
}

export function createElectricityHolder(options: ElectricityHolderOptions): Hono {
  const { household, clock, clients } = options;
  const consents: Consent[] = [];
  const tokens = new Map<string, { clientId: string; expiresAt: number }>();
  const tickets = new Map<string, { customerId: string; request: Record<string, string> }>();
  const today = (): string => dayOfInstant(clock.now());

  const customers = (): Customer[] => household.customers.filter((c) => c.electricity !== undefined);
  const clientOf = (id: string): ElectricityClient | undefined => clients.find((c) => c.clientId === id);

  const app = new Hono();
  app.onError((e, c) => {
    if (e instanceof EnedisFailure) return c.json(enedisError(e.code, e.description), e.status);
    return c.json(enedisError('internal_server_error', 'The distributor could not answer'), 500);
  });
  app.notFound((c) => c.json(enedisError('not_found', `No resource at ${c.req.path}`), 404));
  app.use(
    '*',
    faultInjection(options.faults ?? noFaults(), {
      applies: {
        'second-factor': (c) => c.req.method === 'POST' && c.req.path.endsWith('/authorize/login'),
        // The metering API has no pages to shorten.
        'short-page': () => false,
      },
      respond: {
        'rate-limit': (c) => c.json(enedisError('too_many_requests', 'Quota exceeded, slow down'), 429),
        'server-error': (c) =>
          c.json(enedisError('internal_server_error', 'Temporary failure of the metering system'), 500),
        'expired-credentials': (c) => c.json(enedisError('invalid_token', 'Access token expired'), 401),
      },
    }),
  );

  // The customer's side at the distributor: login, an SMS code sometimes, the consent.
  const authorizeRequest = (q: Record<string, string | undefined>): Record<string, string> => {
    const client = clientOf(q.client_id ?? '');
    if (!client) throw new EnedisFailure(400, 'invalid_client', 'Unknown client_id');
    if (!q.state) throw new EnedisFailure(400, 'invalid_request', 'state is required');
    if (q.response_type !== undefined && q.response_type !== 'code')
      throw new EnedisFailure(400, 'unsupported_response_type', 'response_type must be code');
    const duration = q.duration ?? 'P1Y';
    if (!endOfDuration(today(), duration))
      throw new EnedisFailure(
        400,
        'invalid_request',
        'duration must be an ISO 8601 duration like P1Y, at most three years',
      );
    const redirect = q.redirect_uri ?? client.redirectUris?.[0];
    if (!redirect || !/^https?:\/\//.test(redirect) || (client.redirectUris && !client.redirectUris.includes(redirect)))
      throw new EnedisFailure(400, 'invalid_request', 'redirect_uri is not registered for this client');
    return { client_id: client.clientId, state: q.state, duration, redirect_uri: redirect };
  };

  app.get('/dataconnect/v1/oauth2/authorize', (c) =>
    c.html(loginPage(frame, '/dataconnect/v1/oauth2/authorize/login', authorizeRequest(c.req.query()))),
  );

  const backTo = (request: Record<string, string>, params: Record<string, string>): string => {
    const url = new URL(request.redirect_uri as string);
    for (const [k, v] of Object.entries({ ...params, state: request.state as string })) url.searchParams.set(k, v);
    return url.toString();
  };

  const consentStep = (c: Context, customer: Customer, request: Record<string, string>): Response => {
    const ticket = randomHex(24);
    tickets.set(ticket, { customerId: customer.id, request });
    const client = clientOf(request.client_id as string);
    return c.html(
      consentPage(frame, '/dataconnect/v1/oauth2/authorize/consent', { ticket }, [
        `${client?.name ?? request.client_id} demande l'accès à vos données de consommation`,
        `Point de livraison ${customer.electricity?.usagePointId ?? ''}`,
        `Durée : ${request.duration} (jusqu'au ${endOfDuration(today(), request.duration as string)})`,
        'Consommations journalières, courbe de charge, puissance maximale, données contractuelles',
      ]),
    );
  };

  app.post('/dataconnect/v1/oauth2/authorize/login', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    const request = authorizeRequest(form);
    if (form.action === 'cancel') return c.redirect(backTo(request, { error: 'access_denied' }), 302);
    const customer = customers().find(
      (x) => x.logins.electricity?.username === form.username && x.logins.electricity?.password === form.password,
    );
    if (!customer)
      return c.html(
        loginPage(frame, '/dataconnect/v1/oauth2/authorize/login', request, 'Identifiant ou mot de passe incorrect'),
        401,
      );
    if (faultMarks(c).secondFactor) {
      const ticket = randomHex(24);
      tickets.set(ticket, { customerId: customer.id, request });
      return c.html(otpPage(frame, '/dataconnect/v1/oauth2/authorize/otp', { ticket }));
    }
    return consentStep(c, customer, request);
  });

  const takeTicket = (form: Record<string, string>) => {
    const ticket = tickets.get(form.ticket ?? '');
    if (!ticket) throw new EnedisFailure(400, 'invalid_request', 'The login has expired, start again');
    tickets.delete(form.ticket as string);
    return ticket;
  };

  app.post('/dataconnect/v1/oauth2/authorize/otp', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    const ticket = takeTicket(form);
    const customer = household.customer(ticket.customerId);
    if (form.otp !== customer.logins.electricity?.otp) {
      const again = randomHex(24);
      tickets.set(again, ticket);
      return c.html(otpPage(frame, '/dataconnect/v1/oauth2/authorize/otp', { ticket: again }, 'Code incorrect'), 401);
    }
    return consentStep(c, customer, ticket.request);
  });

  app.post('/dataconnect/v1/oauth2/authorize/consent', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    const { customerId, request } = takeTicket(form);
    if (form.decision !== 'allow') return c.redirect(backTo(request, { error: 'access_denied' }), 302);
    const usagePointId = household.customer(customerId).electricity?.usagePointId as string;
    consents.push({
      clientId: request.client_id as string,
      usagePointId,
      customerId,
      until: endOfDuration(today(), request.duration as string) as string,
    });
    return c.redirect(backTo(request, { usage_point_id: usagePointId }), 302);
  });

  app.post('/oauth2/v3/token', async (c) => {
    const form = (await c.req.parseBody()) as Record<string, string>;
    let id = form.client_id;
    let secret = form.client_secret;
    const basic = /^Basic (.+)$/.exec(c.req.header('authorization') ?? '');
    if (basic)
      [id, secret] = Buffer.from(basic[1] as string, 'base64')
        .toString()
        .split(':');
    if (form.grant_type !== 'client_credentials')
      return c.json(enedisError('unsupported_grant_type', 'grant_type must be client_credentials'), 400);
    const client = clientOf(id ?? '');
    if (!client || client.clientSecret !== secret)
      return c.json(enedisError('invalid_client', 'Client authentication failed'), 401);
    const token = randomHex(30);
    tokens.set(token, { clientId: client.clientId, expiresAt: clock.now() + TOKEN_LIFETIME_SECONDS * 1000 });
    return c.json({
      access_token: token,
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: 'am_application_scope default',
    });
  });

  /** The client behind the bearer token, and the customer whose usage point it may read today. */
  const authorised = (c: Context): { customer: Customer; usagePointId: string } => {
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!token || token.expiresAt <= clock.now()) {
      c.header('www-authenticate', 'Bearer error="invalid_token"');
      throw new EnedisFailure(401, 'invalid_token', token ? 'Access token expired' : 'Invalid access token');
    }
    const usagePointId = c.req.query('usage_point_id') ?? '';
    if (!usagePointPattern.test(usagePointId))
      throw new EnedisFailure(400, 'invalid_request', 'usage_point_id must be 14 digits');
    const consent = consents.find(
      (x) => x.clientId === token.clientId && x.usagePointId === usagePointId && x.until >= today(),
    );
    if (!consent)
      throw new EnedisFailure(403, 'ADAM-DC-0008', 'No consent can be found for this customer and this usage point');
    return { customer: household.customer(consent.customerId), usagePointId };
  };

  /** Checks start and end (end excluded) against the call's limit, the history and today. */
  const period = (c: Context, customer: Customer, maxDays: number): { start: string; end: string; last: string } => {
    const start = c.req.query('start') ?? '';
    const end = c.req.query('end') ?? '';
    if (!isDay(start) || !isDay(end))
      throw new EnedisFailure(400, 'invalid_request', 'start and end must be dates YYYY-MM-DD');
    if (start >= end) throw new EnedisFailure(400, 'ADAM-ERR0069', 'The start date must be before the end date');
    if (end > today()) throw new EnedisFailure(400, 'ADAM-ERR0069', 'The end date cannot be after today');
    if (dayNumber(end) - dayNumber(start) > maxDays)
      throw new EnedisFailure(400, 'ADAM-ERR0069', `The requested period cannot exceed ${maxDays} days`);
    const window = household.window(clock.now());
    const activation = customer.electricity?.startDate ?? window.from;
    if (start < activation)
      throw new EnedisFailure(
        400,
        'ADAM-ERR0123',
        "The requested period cannot be anterior to the meter's last activation date",
      );
    if (start < window.from)
      throw new EnedisFailure(
        400,
        'ADAM-ERR0123',
        `The requested period cannot start more than three years ago (${window.from})`,
      );
    return { start, end, last: window.to };
  };

  const readings = (
    c: Context,
    doctype: string,
    maxDays: number,
    readingType: ReadingType,
    format: (r: HolderRecord) => unknown,
  ): Response => {
    const { customer, usagePointId } = authorised(c);
    const { start, end, last } = period(c, customer, maxDays);
    const to = addDays(end, -1) < last ? addDays(end, -1) : last;
    const records = start > to ? [] : household.records(customer.id, 'electricity', doctype, { from: start, to });
    if (records.length === 0)
      throw new EnedisFailure(404, 'no_data_found', 'No measure found for the requested period');
    return c.json(meterReading(usagePointId, start, end, readingType, records.map(format)));
  };

  app.get('/metering_data_dc/v5/daily_consumption', (c) =>
    readings(
      c,
      'energy.electricity.daily',
      365,
      { measurement_kind: 'energy', measuring_period: 'P1D', unit: 'Wh', aggregate: 'sum' },
      dailyReading,
    ),
  );
  app.get('/metering_data_clc/v5/consumption_load_curve', (c) =>
    readings(
      c,
      'energy.electricity.load-curve',
      7,
      { measurement_kind: 'power', unit: 'W', aggregate: 'average' },
      loadCurveReading,
    ),
  );
  app.get('/metering_data_dcmp/v5/daily_consumption_max_power', (c) =>
    readings(
      c,
      'energy.electricity.max-power',
      365,
      { measurement_kind: 'power', measuring_period: 'P1D', unit: 'VA', aggregate: 'maximum' },
      maxPowerReading,
    ),
  );

  const since = (day: string): string => `${day}+01:00`;

  app.get('/customers_upc/v5/usage_points/contracts', (c) => {
    const { customer, usagePointId } = authorised(c);
    const e = customer.electricity as NonNullable<Customer['electricity']>;
    return c.json({
      customer: {
        customer_id: customer.customerNumbers.electricity,
        usage_points: [
          {
            usage_point: { usage_point_id: usagePointId, usage_point_status: 'com', meter_type: 'AMM' },
            contracts: {
              segment: 'C5',
              subscribed_power: `${e.subscribedPowerKva} kVA`,
              last_activation_date: since(e.startDate),
              distribution_tariff: e.tariffOption === 'base' ? 'BTINFCUST' : 'BTINFMUDT',
              ...(e.tariffOption === 'peak_off_peak' ? { offpeak_hours: 'HC (22H30-6H30)' } : {}),
              contract_status: 'SERVC',
              last_distribution_tariff_change_date: since(e.startDate),
            },
          },
        ],
      },
    });
  });

  app.get('/customers_upa/v5/usage_points/addresses', (c) => {
    const { customer, usagePointId } = authorised(c);
    return c.json({
      customer: {
        customer_id: customer.customerNumbers.electricity,
        usage_points: [
          {
            usage_point: {
              usage_point_id: usagePointId,
              usage_point_status: 'com',
              meter_type: 'AMM',
              usage_point_addresses: {
                street: customer.address.street,
                postal_code: customer.address.postalCode,
                city: customer.address.city,
                country: customer.address.country,
                geo_points: { latitude: customer.home.lat, longitude: customer.home.lon },
              },
            },
          },
        ],
      },
    });
  });

  // The supplier that bills this usage point, hosted beside the distributor for the simulation.
  app.get('/supplier/v1/contract', (c) => {
    const { customer } = authorised(c);
    return c.json({
      contract: household.records(customer.id, 'electricity', 'energy.contract', { from: today(), to: today() })[0]
        ?.data,
    });
  });

  app.get('/supplier/v1/bills', (c) => {
    const { customer, usagePointId } = authorised(c);
    const { start, end, last } = period(c, customer, 366);
    const to = addDays(end, -1) < last ? addDays(end, -1) : last;
    const bills = start > to ? [] : household.records(customer.id, 'electricity', 'bill', { from: start, to });
    return c.json({
      bills: bills.map((b) => ({
        ...b.data,
        files: (b.files ?? []).map((f) => ({
          ...f,
          href: `/supplier/v1/files/${f.id}?usage_point_id=${usagePointId}`,
        })),
      })),
    });
  });

  app.get('/supplier/v1/files/:fileId', (c) => {
    const { customer } = authorised(c);
    let pdf: Uint8Array;
    try {
      pdf = household.file(customer.id, 'electricity', c.req.param('fileId'));
    } catch {
      throw new EnedisFailure(404, 'not_found', 'No such file');
    }
    return c.body(pdf.slice().buffer as ArrayBuffer, 200, { 'content-type': 'application/pdf' });
  });

  return app;
}
