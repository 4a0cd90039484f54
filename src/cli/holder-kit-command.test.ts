import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHolderKit } from '../holder-kit/holder-kit.js';
import { serveHolder, type RunningHolder } from '../holders/serve-holder.js';
import { createReferenceHolder } from '../holder-kit/reference-holder.js';
import { manualClock } from '../platform/clock.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

describe('foyer holder-kit check', () => {
  let good: RunningHolder;
  let broken: RunningHolder;

  beforeAll(async () => {
    const clock = manualClock(Date.UTC(2026, 2, 10, 12));
    const reference = createReferenceHolder({ clock });
    good = await serveHolder(createHolderKit(reference.options));
    // A holder whose datasets ignore since.
    const ignoring = createHolderKit({
      ...reference.options,
      datasets: reference.options.datasets.map((d) => ({
        ...d,
        list: (c, q) => d.list(c, { ...q, since: undefined }),
      })),
    });
    broken = await serveHolder(ignoring);
  });
  afterAll(async () => {
    await Promise.all([good.close(), broken.close()]);
  });

  async function run(argv: string[], answer?: string) {
    const out: string[] = [];
    const err: string[] = [];
    const asked: { prompt: string; secret: boolean }[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { FOYER_LOG_LEVEL: 'silent' },
      ask: async (prompt, secret) => {
        asked.push({ prompt, secret });
        if (answer === undefined) throw new Error('no prompt expected');
        return answer;
      },
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n'), asked };
  }

  it('exits 0 and lists every check when the holder conforms', async () => {
    const r = await run(['holder-kit', 'check', good.url, '--username', 'alice', '--password', 'alice-password']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok {3}discovery\.document/m);
    expect(r.out).toMatch(/^ok {3}data\.bill\.schema/m);
    expect(r.out).toMatch(/\d+ passed, 0 failed, 0 skipped \(conforms\)$/);
  });

  it('exits 1 naming the failed check when the holder does not conform', async () => {
    const r = await run(['holder-kit', 'check', broken.url, '--username', 'alice', '--password', 'alice-password']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(
      /^FAIL data\.water\.daily\.since: since returns exactly the items changed after it\n {7}since=/m,
    );
    expect(r.out).toContain('does NOT conform');
  });

  it('asks for the password, hidden, when it is not given, and can answer in JSON', async () => {
    const r = await run(['holder-kit', 'check', good.url, '--username', 'alice', '--json'], 'alice-password');
    expect(r.asked).toEqual([{ prompt: `Password of alice at ${good.url}: `, secret: true }]);
    expect(JSON.parse(r.out)).toMatchObject({ passed: true, kitVersion: '1.0' });
  });

  it('reports a wrong password as failed checks, not as a crash', async () => {
    const r = await run(['holder-kit', 'check', good.url, '--username', 'alice', '--password', 'wrong']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL consent\.page/m);
  });

  it('exits 2 with the usage for a missing URL, username or subcommand, or a URL that is not http', async () => {
    for (const argv of [
      ['holder-kit', 'check', '--username', 'alice'],
      ['holder-kit', 'check', good.url],
      ['holder-kit', 'verify', good.url, '--username', 'alice'],
      ['holder-kit', 'check', 'ftp://example.com', '--username', 'alice'],
    ]) {
      const r = await run(argv);
      expect([argv.join(' '), r.code]).toEqual([argv.join(' '), 2]);
      expect(r.err).toContain('Usage: foyer holder-kit check URL');
    }
  });
});
