import { describe, it, expect } from 'vitest';
import { activityOf, addressOf, deviceIdOf, placeCategoryOf, pointSourceOf } from './location-records.js';

describe('location vocabularies', () => {
  it('makes stream names the schema accepts', () => {
    expect(deviceIdOf('google', -813004233)).toBe('google:-813004233');
    expect(deviceIdOf('gpx', 'Forerunner 245 / Édition spéciale')).toBe('gpx:Forerunner-245-Edition-speciale');
    expect(deviceIdOf('gpx', '  ')).toBe('gpx');
    expect(deviceIdOf('gpx', 'x'.repeat(100))).toHaveLength(64);
  });

  it('maps every generation of Google activity names', () => {
    expect(
      ['STILL', 'ON_FOOT', 'in passenger vehicle', 'ON_BICYCLE', 'running', 'TILTING', 'SKIING', 42].map(activityOf),
    ).toEqual(['still', 'walking', 'in_vehicle', 'cycling', 'running', 'unknown', undefined, undefined]);
    expect(['GPS', 'wifi', 'CELL', 'UNKNOWN', 'VISIT'].map(pointSourceOf)).toEqual([
      'gps',
      'wifi',
      'cell',
      undefined,
      undefined,
    ]);
    expect(
      ['TYPE_HOME', 'INFERRED_WORK', 'Inferred Home', 'Work', 'TYPE_SEARCHED_ADDRESS', 'HOMEWARD'].map(placeCategoryOf),
    ).toEqual(['home', 'work', 'home', 'work', undefined, undefined]);
  });

  it('splits addresses it recognises and leaves the others alone', () => {
    expect(addressOf('147 Rue du Ballon, 59110 La Madeleine, France')).toEqual({
      street: '147 Rue du Ballon',
      postalCode: '59110',
      city: 'La Madeleine',
      country: 'FR',
    });
    expect(addressOf('Bahnhofstrasse 1\n8001 Zürich\nSchweiz')).toEqual({
      street: 'Bahnhofstrasse 1',
      postalCode: '8001',
      city: 'Zürich',
      country: 'CH',
    });
    expect(addressOf('75001 Paris')).toEqual({ postalCode: '75001', city: 'Paris' });
    expect(addressOf('1600 Amphitheatre Pkwy, Mountain View, CA 94043, USA')).toEqual({
      street: '1600 Amphitheatre Pkwy',
      city: 'Mountain View',
      postalCode: '94043',
      country: 'US',
    });
    expect(addressOf('10 Downing St, London SW1A 2AA, UK')).toBeUndefined();
    expect(addressOf('France')).toBeUndefined();
    expect(addressOf(42)).toBeUndefined();
  });
});
