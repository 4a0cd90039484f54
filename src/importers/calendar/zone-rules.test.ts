import { describe, expect, it } from 'vitest';
import { createZoneResolver } from './zone-resolver.js';
import { ianaRules, isIanaZone, localToUtc } from './zone-rules.js';

const wall = (iso: string) => Date.parse(`${iso}Z`);
const utc = (ms: number) => new Date(ms).toISOString();

describe('localToUtc', () => {
  const paris = ianaRules('Europe/Paris');

  it('reads ordinary winter and summer times with their offsets', () => {
    expect(utc(localToUtc(wall('2024-01-15T10:00:00'), paris))).toBe('2024-01-15T09:00:00.000Z');
    expect(utc(localToUtc(wall('2024-07-15T10:00:00'), paris))).toBe('2024-07-15T08:00:00.000Z');
  });

  it('reads a time skipped by the spring change with the offset before the gap', () => {
    expect(utc(localToUtc(wall('2024-03-31T02:30:00'), paris))).toBe('2024-03-31T01:30:00.000Z');
  });

  it('reads a time repeated by the autumn change as its first occurrence', () => {
    expect(utc(localToUtc(wall('2024-10-27T02:30:00'), paris))).toBe('2024-10-27T00:30:00.000Z');
    expect(utc(localToUtc(wall('2024-11-03T01:30:00'), ianaRules('America/New_York')))).toBe(
      '2024-11-03T05:30:00.000Z',
    );
  });
});

describe('createZoneResolver', () => {
  it('resolves IANA, Windows, display and prefixed names without a VTIMEZONE', () => {
    const zones = createZoneResolver();
    expect(zones.resolve('Europe/Paris')?.iana).toBe('Europe/Paris');
    expect(zones.resolve('Romance Standard Time')?.iana).toBe('Europe/Paris');
    expect(zones.resolve('"W. Europe Standard Time"')?.iana).toBe('Europe/Berlin');
    expect(zones.resolve('pacific standard time')?.iana).toBe('America/Los_Angeles');
    expect(zones.resolve('GMT Standard Time')?.iana).toBe('Europe/London');
    expect(zones.resolve('(UTC+01:00) Brussels, Copenhagen, Madrid, Paris')?.iana).toBe('Europe/Paris');
    expect(zones.resolve('(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna')?.iana).toBe(
      'Europe/Berlin',
    );
    expect(zones.resolve('/freeassociation.sourceforge.net/Tzfile/Europe/Paris')?.iana).toBe('Europe/Paris');
    expect(zones.resolve('Bureau Lyon')).toBeUndefined();
  });

  it('uses a VTIMEZONE only for its calendar, and its X-LIC-LOCATION when that is an IANA name', () => {
    const zones = createZoneResolver();
    zones.define('Ma zone', undefined, 'America/Montreal');
    expect(zones.resolve('Ma zone')?.iana).toBe('America/Montreal');
    zones.resetDefinitions();
    expect(zones.resolve('Ma zone')).toBeUndefined();
  });

  it('knows IANA names and refuses others', () => {
    expect(isIanaZone('Asia/Kolkata')).toBe(true);
    expect(isIanaZone('Romance Standard Time')).toBe(false);
    expect(isIanaZone('Mars/Olympus')).toBe(false);
  });
});
