import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../platform/package-root.js';
import { loadConfig, settings } from './config.js';

describe('configuration', () => {
  it('defaults to embedded SQLite and disk under ./data on port 8080', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      mode: 'embedded',
      port: 8080,
      host: '127.0.0.1',
      files: 'disk',
      timeZone: 'Europe/Paris',
    });
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.databaseUrl).toBeUndefined();
  });

  it('lets flags win over environment variables', () => {
    const c = loadConfig({ FOYER_PORT: '9000', FOYER_MODE: 'hosted' }, { '--port': '9100' });
    expect([c.port, c.mode]).toEqual([9100, 'hosted']);
  });

  it('names the setting that is wrong', () => {
    expect(() => loadConfig({ FOYER_PORT: 'eighty' })).toThrow(/--port/);
    expect(() => loadConfig({ FOYER_DATABASE_URL: 'mysql://x' })).toThrow(/database-url/);
    expect(() => loadConfig({ FOYER_FILES: 's3://bucket' })).toThrow(/FOYER_S3_ENDPOINT/);
    expect(() => loadConfig({ FOYER_FILES: 'ftp://x' })).toThrow(/--files/);
  });

  it('encrypts files unless FOYER_ENCRYPT_FILES is false or 0, and names it when it is neither', () => {
    expect(loadConfig({}).encryptFiles).toBe(true);
    expect(loadConfig({ FOYER_ENCRYPT_FILES: '1' }).encryptFiles).toBe(true);
    expect(loadConfig({ FOYER_ENCRYPT_FILES: 'false' }).encryptFiles).toBe(false);
    expect(loadConfig({ FOYER_ENCRYPT_FILES: '0' }).encryptFiles).toBe(false);
    expect(() => loadConfig({ FOYER_ENCRYPT_FILES: 'yes' })).toThrow(/FOYER_ENCRYPT_FILES/);
  });

  it('is documented in the README, every variable and flag', () => {
    const readme = readFileSync(`${packageRoot()}/README.md`, 'utf8');
    for (const s of settings) {
      expect(readme, s.env).toContain(`\`${s.env}\``);
      if (s.flag) expect(readme, s.flag).toContain(`\`${s.flag}\``);
    }
  });
});
