import { describe, expect, it } from 'vitest';
import { repairMojibake, repairStrings } from './mojibake.js';

describe('repairMojibake', () => {
  it('turns UTF-8 bytes escaped one by one back into characters', () => {
    expect(repairMojibake(JSON.parse('"F\\u00c3\\u00a9vrier \\u00c3\\u00a0 S\\u00c3\\u00a8te"'))).toBe(
      'Février à Sète',
    );
    expect(repairMojibake(JSON.parse('"\\u00e2\\u0080\\u0099"'))).toBe('’');
    expect(repairMojibake(JSON.parse('"\\u00f0\\u009f\\u0098\\u0082"'))).toBe('😂');
  });

  it('leaves ASCII, real accents and text that would not decode as it is', () => {
    expect(repairMojibake('plain text')).toBe('plain text');
    expect(repairMojibake('Café')).toBe('Café');
    expect(repairMojibake('déjà vu')).toBe('déjà vu');
    expect(repairMojibake('Ã© et ’')).toBe('Ã© et ’');
    expect(repairMojibake('\u00c3')).toBe('\u00c3');
  });

  it('repairs every string of a value, nested, keys included', () => {
    expect(repairStrings({ n: 1, 'cl\u00c3\u00a9': ['Andr\u00c3\u00a9', { t: 'ok' }], b: true, z: null })).toEqual({
      n: 1,
      clé: ['André', { t: 'ok' }],
      b: true,
      z: null,
    });
  });
});
