import { mkdtemp, mkdir, readFile, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../core/errors.js';
import { cronProblem, parseAppManifest } from './manifest.js';
import { loadAppPackage } from './app-package.js';

const TUTORIAL = join(import.meta.dirname, '../../docs/tutorial-app');
const tutorial = async () => JSON.parse(await readFile(join(TUTORIAL, 'manifest.json'), 'utf8')) as Record<string, any>;

/** The validation issues' messages, or a failure if the manifest was accepted. */
function problems(value: unknown): string {
  try {
    parseAppManifest(value);
  } catch (e) {
    if (!isFoyerError(e) || e.code !== 'validation_failed') throw e;
    return e.message;
  }
  throw new Error('the manifest was accepted');
}

describe('app manifest', () => {
  it('accepts the tutorial app and fills the defaults', async () => {
    const m = parseAppManifest({ ...(await tutorial()), validity: undefined, onUninstall: undefined });
    expect(m.id).toBe('big-spends');
    expect(m.validity).toBe('P1Y');
    expect(m.onUninstall).toBe('delete');
    expect(m.services[0]?.triggers).toHaveLength(2);
  });

  it('names the missing fields', () => {
    const msg = problems({ id: 'x1' });
    for (const field of ['/name', '/version', '/publisher', '/description', '/purposes', '/scopes']) {
      expect(msg).toContain(field);
    }
  });

  it('refuses a purpose outside the controlled list', async () => {
    const m = await tutorial();
    m.scopes[0].purpose = 'selling-data';
    expect(problems(m)).toMatch(/\/scopes\/0\/purpose: a purpose code/);
  });

  it('refuses a scope whose purpose has no text, and a text no scope uses', async () => {
    const m = await tutorial();
    m.purposes = { marketing: { en: 'offers', fr: 'offres' } };
    const msg = problems(m);
    expect(msg).toContain('give the text of purpose "personal-insight"');
    expect(msg).toContain('no scope names purpose "marketing"');
  });

  it('refuses a retention that is not an ISO 8601 duration', async () => {
    const m = await tutorial();
    m.scopes[1].retention = '1 year';
    expect(problems(m)).toMatch(/\/scopes\/1\/retention: an ISO 8601 duration/);
  });

  it("refuses a doctype outside the app's namespace and a scope on another app's doctype", async () => {
    const m = await tutorial();
    m.doctypes[0].name = 'app.other.alert';
    expect(problems(m)).toContain("an app's doctypes are named app.big-spends.<name>");
    const n = await tutorial();
    n.scopes.push({ ...n.scopes[1], doctype: 'app.banking.rule' });
    expect(problems(n)).toContain('"app.banking.rule" is another app\'s doctype');
  });

  it('refuses the same doctype in two scopes', async () => {
    const m = await tutorial();
    m.scopes.push({ ...m.scopes[0] });
    expect(problems(m)).toContain('appears in two scopes');
  });

  it('refuses a change trigger on a doctype the app cannot read', async () => {
    const m = await tutorial();
    m.services[0].triggers = [{ kind: 'change', doctype: 'energy.contract' }];
    expect(problems(m)).toContain('/services/0/triggers/0/doctype: the app must read energy.contract');
  });

  it('refuses a malformed cron schedule', async () => {
    const m = await tutorial();
    m.services[0].triggers = [{ kind: 'schedule', cron: '61 * * * *' }];
    expect(problems(m)).toContain('the minute field goes from 0 to 59');
    expect(cronProblem('*/0 * * * *')).toContain('step of 0');
    expect(cronProblem('0 6 * * 1-5')).toBeNull();
  });

  it('refuses paths that leave the app folder and unknown fields', async () => {
    const m = await tutorial();
    m.web.script = 'web/../../secret.ts';
    m.services[0].code = '/etc/passwd';
    m.network = ['example.org'];
    const msg = problems(m);
    expect(msg).toContain('/web/script');
    expect(msg).toContain('/services/0/code');
    expect(msg).toMatch(/Unrecognized key.*network/);
  });
});

describe('app package', () => {
  async function copyTutorial(): Promise<string> {
    const dir = join(await mkdtemp(join(tmpdir(), 'foyer-app-')), 'app');
    await cp(TUTORIAL, dir, { recursive: true });
    return dir;
  }

  it('loads the tutorial app with its doctype', async () => {
    const pkg = await loadAppPackage(TUTORIAL);
    expect(pkg.doctypes.map((d) => d.name)).toEqual(['app.big-spends.alert']);
    expect(pkg.doctypes[0]?.schema.$id).toBe('urn:foyer:doctype:app.big-spends.alert:1');
  });

  it('refuses a folder without manifest.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foyer-app-'));
    await expect(loadAppPackage(dir)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a manifest that is not JSON', async () => {
    const dir = await copyTutorial();
    await writeFile(join(dir, 'manifest.json'), '{ "id": ');
    await expect(loadAppPackage(dir)).rejects.toThrow(/manifest.json is not valid JSON/);
  });

  it('refuses a manifest naming a file the folder lacks', async () => {
    const dir = await copyTutorial();
    const m = await tutorial();
    m.services[0].code = 'services/missing.ts';
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(loadAppPackage(dir)).rejects.toThrow('/services/0/code: services/missing.ts does not exist');
  });

  it('refuses a doctype schema that does not compile or is not an object schema', async () => {
    const dir = await copyTutorial();
    const m = await tutorial();
    m.doctypes[0].schema = { type: 'object', properties: { a: { type: 'nonsense' } } };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(loadAppPackage(dir)).rejects.toThrow('/doctypes/0/schema: the JSON Schema does not compile');
    m.doctypes[0].schema = { type: 'array' };
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(m));
    await expect(loadAppPackage(dir)).rejects.toThrow('"type" must be "object"');
  });
});
