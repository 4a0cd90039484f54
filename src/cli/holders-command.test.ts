import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

function scriptedIo() {
  const out: string[] = [];
  const err: string[] = [];
  let stop: (signal: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => (stop = resolve));
  const io: CliIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    env: { FOYER_LOG_LEVEL: 'silent', FOYER_HOLDER_FAULTS: 'timeout=every:1000000' },
    ask: async () => '',
    readStdin: async () => '',
    stopSignal: () => stopped,
  };
  return { io, out, err, stop };
}

async function waitFor(lines: string[], text: string): Promise<void> {
  for (let i = 0; i < 300 && !lines.some((l) => l.includes(text)); i++) await new Promise((r) => setTimeout(r, 50));
  if (!lines.some((l) => l.includes(text))) throw new Error(`never printed "${text}": ${lines.join('\n')}`);
}

const urlOf = (lines: string[], id: string): string => {
  const line = lines.find((l) => l.trimStart().startsWith(`${id} `)) ?? '';
  return /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? '';
};

describe('foyer holders', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('starts every holder on loopback, prints the logins, moves the clock, and stops', async () => {
    const { io, out, stop } = scriptedIo();
    const done = main(
      [
        'holders',
        '--base-port',
        '0',
        '--seed',
        'cli-test',
        '--date',
        '2026-11-24',
        '--speed',
        '0',
        '--fault',
        'server-error=every:1000',
      ],
      io,
    );
    await waitFor(out, 'Ctrl-C');
    for (const id of ['bank', 'electricity', 'insurer', 'telecom', 'gas', 'water', 'retailer'])
      expect(urlOf(out, id), id).not.toBe('');
    expect(out.join('\n')).toContain('faults: timeout, server-error');
    expect(out.some((l) => /bank\s+\d{8} \/ \S+ \/ \d{6}/.test(l))).toBe(true);

    const bank = await fetch(`${urlOf(out, 'bank')}/v1/consents`, {
      method: 'POST',
      headers: {
        'x-request-id': randomUUID(),
        'content-type': 'application/json',
        'tpp-redirect-uri': 'http://127.0.0.1:9/',
      },
      body: JSON.stringify({
        access: { allPsd2: 'allAccounts' },
        recurringIndicator: true,
        validUntil: '2027-01-01',
        frequencyPerDay: 4,
      }),
    });
    expect(bank.status).toBe(201);
    const token = await fetch(`${urlOf(out, 'electricity')}/oauth2/v3/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'foyer',
        client_secret: 'foyer-simulated-secret',
      }),
    });
    expect(token.status).toBe(200);
    const discovery = await fetch(`${urlOf(out, 'insurer')}/.well-known/holder-kit`);
    expect(discovery.status).toBe(200);

    const control = urlOf(out, 'clock');
    expect(await (await fetch(`${control}/clock`)).json()).toMatchObject({ lastAvailableDay: '2026-11-23' });
    expect(await (await fetch(`${control}/clock/advance?days=1`, { method: 'POST' })).json()).toMatchObject({
      lastAvailableDay: '2026-11-24',
    });
    expect((await fetch(`${control}/clock/advance?days=0`, { method: 'POST' })).status).toBe(400);

    stop('SIGTERM');
    expect(await done).toBe(0);
    await expect(fetch(`${urlOf(out, 'bank')}/v1/consents`)).rejects.toThrow();
  }, 60_000);

  it('exports the household as JSON Lines, one file per customer, holder and doctype', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foyer-household-'));
    dirs.push(dir);
    const { io, out } = scriptedIo();
    expect(await main(['holders', '--seed', 'cli-test', '--date', '2026-11-24', '--export', dir], io)).toBe(0);
    expect(out[0]).toMatch(/^Wrote \d+ records in \d+ files/);
    expect((await readdir(dir)).sort()).toEqual(['customers.json', 'family', 'retirees', 'single-parent', 'student']);
    const lines = (await readFile(join(dir, 'family', 'electricity', 'energy.electricity.daily.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1096);
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({
      day: '2026-11-23',
      doctype: 'energy.electricity.daily',
    });
    const customers = JSON.parse(await readFile(join(dir, 'customers.json'), 'utf8')) as {
      seed: string;
      customers: unknown[];
    };
    expect(customers.seed).toBe('cli-test');
    expect(customers.customers).toHaveLength(4);
  }, 120_000);

  it.each([
    [['--base-port', 'x'], '--base-port'],
    [['--date', '24/11/2026'], '--date'],
    [['--speed', 'fast'], '--speed'],
    [['--speed=-1'], '--speed'],
    [['--fault', 'meteor=always'], 'unknown fault kind'],
  ])('rejects %j', async (args, message) => {
    const { io, err } = scriptedIo();
    expect(await main(['holders', ...args], io)).toBe(1);
    expect(err.join('\n')).toContain(message);
  });
});
