import { describe, expect, it } from 'vitest';
import { createWindowsZoneTable, windowsTableZones } from './windows-zones.js';
import { isIanaZone } from './zone-rules.js';

describe('createWindowsZoneTable', () => {
  it('maps only to zones the IANA database here knows', () => {
    const unknown = windowsTableZones().filter((zone) => !isIanaZone(zone));
    expect(unknown).toEqual([]);
  });

  it('maps the names Outlook and Exchange write, in any case', () => {
    const table = createWindowsZoneTable();
    expect(
      [
        'Romance Standard Time',
        'W. Europe Standard Time',
        'Pacific Standard Time',
        'GMT Standard Time',
        'UTC',
        'india standard time',
      ].map((name) => table.ianaFor(name)),
    ).toEqual(['Europe/Paris', 'Europe/Berlin', 'America/Los_Angeles', 'Europe/London', 'Etc/UTC', 'Asia/Kolkata']);
    expect(table.ianaFor('Central Standard Time (Mexico)')).toBe('America/Mexico_City');
    expect(table.ianaFor('Atlantis Standard Time')).toBeUndefined();
    expect(table.ianaFor('Eastern Standard Time 1')).toBe('America/New_York');
    expect(table.ianaFor('Mexico Standard Time 2')).toBe('America/Chihuahua');
    expect(table.ianaFor('tzone://Microsoft/Utc')).toBe('Etc/UTC');
  });

  it('maps Windows display names, old and new', () => {
    const table = createWindowsZoneTable();
    expect(table.ianaFor('(UTC-08:00) Pacific Time (US & Canada)')).toBe('America/Los_Angeles');
    expect(table.ianaFor('(UTC) Dublin, Edinburgh, Lisbon, London')).toBe('Europe/London');
    expect(table.ianaFor('(UTC+00:00) Dublin, Edinburgh, Lisbon, London')).toBe('Europe/London');
    expect(table.ianaFor('(UTC+01:00) Atlantis')).toBeUndefined();
    expect(table.ianaFor('(GMT+01.00) Brussels / Copenhagen / Madrid / Paris')).toBe('Europe/Paris');
  });
});
