import { describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { parseFaultSpecs } from '../faults/fault-config.js';
import { atParis } from '../household/days.js';
import { createHousehold, type Customer } from '../household/household.js';
import { formBody, formOf } from '../testing/html-form.js';
import { createElectricityHolder, TOKEN_LIFETIME_SECONDS } from './electricity-holder.js';
import type { FaultConfig } from '../faults/fault-config.js';

const household = createHousehold({ seed: 'elec-test' });
const family = household.customer('family');
const upid = family.electricity?.usagePointId as string;
const client = { clientId: 'app', clientSecret: 's3cret', name: 'Foyer' };
const back = 'http://127.0.0.1:9/callback';

type App = ReturnType<typeof createElectricityHolder>;

function holder(faults?: FaultConfig) {
  const clock = manualClock(atParis('2026-11-24', 10));
  const app = createElectricityHolder({ household, clock, clients: [client], ...(faults ? { faults } : {}) });
  return { app, clock };
}

/** The customer consents at the distributor; returns where the browser is sent back. */
async function consent(app: App, customer: Customer = family, query = 'duration=P6M', otp?: string): Promise<URL> {
  const login = customer.logins.electricity as NonNullable<Customer['logins']['electricity']>;
  const page = await app.request(
    `/dataconnect/v1/oauth2/authorize?client_id=app&response_type=code&state=xyz&redirect_uri=${encodeURIComponent(back)}&${query}`,
  );
  expect(page.status).toBe(200);
  const form = formOf(await page.text());
  let res = await app.request(
    form.action,
    formBody({ ...form.fields, username: login.username, password: login.password, action: 'login' }),
  );
  let html = await res.text();
  if (html.includes('name="otp"')) {
    const f = formOf(html);
    res = await app.request(f.action, formBody({ ...f.fields, otp: otp ?? login.otp }));
    html = await res.text();
    if (res.status !== 200) return new URL(`http://error/${res.status}`);
  }
  const c = formOf(html);
  const done = await app.request(c.action, formBody({ ...c.fields, accept: 'yes', decision: 'allow' }));
  expect(done.status).toBe(302);
  return new URL(done.headers.get('location') as string);
}

async function token(app: App): Promise<string> {
  const res = await app.request(
    '/oauth2/v3/token',
    formBody({ grant_type: 'client_credentials', client_id: 'app', client_secret: 's3cret' }),
  );
  expect(res.status).toBe(200);
  const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number };
  expect(body.token_type).toBe('Bearer');
  expect(body.expires_in).toBe(TOKEN_LIFETIME_SECONDS);
  return body.access_token;
}

const get = (app: App, t: string, path: string) => app.request(path, { headers: { authorization: `Bearer ${t}` } });

async function ready(faults?: FaultConfig) {
  const h = holder(faults);
  await consent(h.app);
  return { ...h, token: await token(h.app) };
}

interface Reading {
  meter_reading: {
    usage_point_id: string;
    reading_type: { unit: string };
    interval_reading: { value: string; date: string }[];
  };
}

describe('consent at the distributor', () => {
  it('sends the customer back with the state and the usage point id', async () => {
    const { app } = holder();
    const url = await consent(app);
    expect(url.origin + url.pathname).toBe(back);
    expect(url.searchParams.get('state')).toBe('xyz');
    expect(url.searchParams.get('usage_point_id')).toBe(upid);
  });

  it('refuses a wrong password, an unknown client, a bad duration', async () => {
    const { app } = holder();
    const form = formOf(
      await (
        await app.request(
          `/dataconnect/v1/oauth2/authorize?client_id=app&state=s&redirect_uri=${encodeURIComponent(back)}`,
        )
      ).text(),
    );
    const res = await app.request(
      form.action,
      formBody({ ...form.fields, username: 'x', password: 'y', action: 'login' }),
    );
    expect(res.status).toBe(401);
    expect((await app.request('/dataconnect/v1/oauth2/authorize?client_id=nope&state=s')).status).toBe(400);
    expect(
      (
        await app.request(
          `/dataconnect/v1/oauth2/authorize?client_id=app&state=s&redirect_uri=${encodeURIComponent(back)}&duration=P5Y`,
        )
      ).status,
    ).toBe(400);
    expect(
      (await app.request(`/dataconnect/v1/oauth2/authorize?client_id=app&redirect_uri=${encodeURIComponent(back)}`))
        .status,
    ).toBe(400);
  });

  it('gives no data without consent for that usage point: 403 ADAM-DC-0008', async () => {
    const { app } = holder();
    const t = await token(app);
    const res = await get(
      app,
      t,
      `/metering_data_dc/v5/daily_consumption?usage_point_id=${upid}&start=2026-11-01&end=2026-11-08`,
    );
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'ADAM-DC-0008' });
  });

  it('rejects a wrong client secret and other grants', async () => {
    const { app } = holder();
    expect(
      (
        await app.request(
          '/oauth2/v3/token',
          formBody({ grant_type: 'client_credentials', client_id: 'app', client_secret: 'no' }),
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await app.request(
          '/oauth2/v3/token',
          formBody({ grant_type: 'password', client_id: 'app', client_secret: 's3cret' }),
        )
      ).status,
    ).toBe(400);
    const basic = await app.request('/oauth2/v3/token', {
      ...formBody({ grant_type: 'client_credentials' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('app:s3cret').toString('base64')}`,
      },
    });
    expect(basic.status).toBe(200);
  });

  it('expires the token after its lifetime and the consent after its duration', async () => {
    const { app, clock, token: t } = await ready();
    const path = `/metering_data_dc/v5/daily_consumption?usage_point_id=${upid}&start=2026-11-01&end=2026-11-08`;
    expect((await get(app, t, path)).status).toBe(200);
    clock.advance(TOKEN_LIFETIME_SECONDS * 1000);
    const expired = await get(app, t, path);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: 'invalid_token' });
    clock.advance(200 * 86_400_000);
    const res = await get(app, await token(app), path);
    expect(res.status).toBe(403);
  });
});

describe('metering data', () => {
  it('gives daily consumption in Wh as strings, matching the household', async () => {
    const { app, token: t } = await ready();
    const res = await get(
      app,
      t,
      `/metering_data_dc/v5/daily_consumption?usage_point_id=${upid}&start=2025-11-24&end=2026-11-24`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as Reading;
    expect(body.meter_reading.reading_type.unit).toBe('Wh');
    const readings = body.meter_reading.interval_reading;
    expect(readings).toHaveLength(365);
    expect(readings.at(-1)?.date).toBe('2026-11-23');
    const records = household.records('family', 'electricity', 'energy.electricity.daily', {
      from: '2025-11-24',
      to: '2026-11-23',
    });
    readings.forEach((r, i) => expect(Number(r.value)).toBe(Math.round((records[i]?.data.energyKwh as number) * 1000)));
    expect(typeof readings[0]?.value).toBe('string');
  });

  it('gives the load curve with interval-end local times, 46 or 50 points on clock-change days', async () => {
    const { app, token: t } = await ready();
    const week = (start: string, end: string) =>
      get(app, t, `/metering_data_clc/v5/consumption_load_curve?usage_point_id=${upid}&start=${start}&end=${end}`);
    const body = (await (await week('2026-03-29', '2026-03-30')).json()) as Reading;
    const readings = body.meter_reading.interval_reading;
    expect(readings).toHaveLength(46);
    expect(readings[0]?.date).toBe('2026-03-29 00:30:00');
    expect(readings.at(-1)?.date).toBe('2026-03-30 00:00:00');
    expect(readings.map((r) => r.date)).not.toContain('2026-03-29 02:30:00');
    expect(body.meter_reading.reading_type.unit).toBe('W');
    const autumn = (await (await week('2025-10-26', '2025-10-27')).json()) as Reading;
    expect(autumn.meter_reading.interval_reading).toHaveLength(50);
    const curve = household.records('family', 'electricity', 'energy.electricity.load-curve', {
      from: '2026-03-29',
      to: '2026-03-29',
    });
    expect(readings.map((r) => Number(r.value))).toEqual(curve.map((p) => p.data.powerW));
  });

  it('gives the daily maximum power in VA with its time', async () => {
    const { app, token: t } = await ready();
    const res = await get(
      app,
      t,
      `/metering_data_dcmp/v5/daily_consumption_max_power?usage_point_id=${upid}&start=2026-01-01&end=2026-01-08`,
    );
    const body = (await res.json()) as Reading;
    expect(body.meter_reading.reading_type.unit).toBe('VA');
    expect(body.meter_reading.interval_reading).toHaveLength(7);
    expect(body.meter_reading.interval_reading[0]?.date).toMatch(/^2026-01-01 \d\d:\d\d:\d\d$/);
  });

  it.each([
    ['consumption_load_curve', 'metering_data_clc', '2026-01-01', '2026-01-09', 'ADAM-ERR0069'],
    ['daily_consumption', 'metering_data_dc', '2024-01-01', '2025-01-02', 'ADAM-ERR0069'],
    ['daily_consumption', 'metering_data_dc', '2026-01-08', '2026-01-01', 'ADAM-ERR0069'],
    ['daily_consumption', 'metering_data_dc', '2026-11-20', '2026-11-26', 'ADAM-ERR0069'],
    ['daily_consumption', 'metering_data_dc', '2023-01-01', '2023-01-08', 'ADAM-ERR0123'],
    ['daily_consumption', 'metering_data_dc', '2026-1-1', '2026-01-08', 'invalid_request'],
  ])('rejects %s (%s) from %s to %s with %s', async (name, base, start, end, code) => {
    const { app, token: t } = await ready();
    const res = await get(app, t, `/${base}/v5/${name}?usage_point_id=${upid}&start=${start}&end=${end}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: code });
  });

  it('answers 404 no_data_found for yesterday before 06:00, and serves it after', async () => {
    const { app, clock } = await ready();
    clock.set(atParis('2026-11-25', 5, 30));
    const t = await token(app);
    const path = `/metering_data_dc/v5/daily_consumption?usage_point_id=${upid}&start=2026-11-24&end=2026-11-25`;
    const early = await get(app, t, path);
    expect(early.status).toBe(404);
    expect(await early.json()).toMatchObject({ error: 'no_data_found' });
    clock.set(atParis('2026-11-25', 6, 0));
    expect((await get(app, t, path)).status).toBe(200);
  });

  it('rejects a malformed usage point id', async () => {
    const { app, token: t } = await ready();
    expect(
      (await get(app, t, '/metering_data_dc/v5/daily_consumption?usage_point_id=123&start=2026-11-01&end=2026-11-02'))
        .status,
    ).toBe(400);
  });
});

describe('contract, address and the supplier', () => {
  it('gives the contract and the address of the usage point', async () => {
    const { app, token: t } = await ready();
    const contract = (await (
      await get(app, t, `/customers_upc/v5/usage_points/contracts?usage_point_id=${upid}`)
    ).json()) as {
      customer: { usage_points: { contracts: Record<string, string> }[] };
    };
    expect(contract.customer.usage_points[0]?.contracts).toMatchObject({
      subscribed_power: `${family.electricity?.subscribedPowerKva} kVA`,
      offpeak_hours: 'HC (22H30-6H30)',
    });
    const address = (await (
      await get(app, t, `/customers_upa/v5/usage_points/addresses?usage_point_id=${upid}`)
    ).json()) as {
      customer: { usage_points: { usage_point: { usage_point_addresses: Record<string, unknown> } }[] };
    };
    expect(address.customer.usage_points[0]?.usage_point.usage_point_addresses.city).toBe(family.address.city);
  });

  it('lists the supplier’s bills with their PDF files', async () => {
    const { app, token: t } = await ready();
    const body = (await (
      await get(app, t, `/supplier/v1/bills?usage_point_id=${upid}&start=2026-01-01&end=2026-11-24`)
    ).json()) as {
      bills: { number: string; files: { href: string }[] }[];
    };
    expect(body.bills).toHaveLength(11);
    const pdf = await get(app, t, body.bills[0]?.files[0]?.href as string);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    expect((await get(app, t, '/supplier/v1/files/bill-2026-01-04-NOPE?usage_point_id=' + upid)).status).toBe(404);
    const contract = (await (await get(app, t, `/supplier/v1/contract?usage_point_id=${upid}`)).json()) as {
      contract: { usagePointId: string };
    };
    expect(contract.contract.usagePointId).toBe(upid);
  });
});

describe('faults at the distributor', () => {
  it('expires the token for good (401 invalid_token) until a new one is taken', async () => {
    const { app, token: t } = await ready(parseFaultSpecs(['expired-credentials=every:2']));
    const path = `/metering_data_dc/v5/daily_consumption?usage_point_id=${upid}&start=2026-11-01&end=2026-11-08`;
    expect((await get(app, t, path)).status).toBe(200);
    expect((await get(app, t, path)).status).toBe(401);
    expect((await get(app, t, path)).status).toBe(401);
    expect((await get(app, await token(app), path)).status).toBe(200);
  });

  it('asks the customer for a code at login', async () => {
    const { app } = holder(parseFaultSpecs(['second-factor=always']));
    expect((await consent(app, family, 'duration=P1Y', '999999')).toString()).toBe('http://error/401');
    expect((await consent(app)).searchParams.get('usage_point_id')).toBe(upid);
  });

  it('answers 429 and 500 in its own shape', async () => {
    const { app, token: t } = await ready(
      parseFaultSpecs(['rate-limit=always,paths=/metering', 'server-error=always,paths=/customers']),
    );
    const limited = await get(
      app,
      t,
      `/metering_data_dc/v5/daily_consumption?usage_point_id=${upid}&start=2026-11-01&end=2026-11-08`,
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    expect(await limited.json()).toMatchObject({ error: 'too_many_requests' });
    const broken = await get(app, t, `/customers_upc/v5/usage_points/contracts?usage_point_id=${upid}`);
    expect(broken.status).toBe(500);
  });
});
