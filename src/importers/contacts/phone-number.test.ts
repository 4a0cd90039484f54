import { describe, expect, it } from 'vitest';
import { dialPlanFor, toE164 } from './phone-number.js';

const france = dialPlanFor('Europe/Paris');

describe('toE164', () => {
  it('writes French national numbers, with any separators, in E.164', () => {
    expect(
      ['06 12 34 56 78', '06.12.34.56.78', '06-12-34-56-78', '0612345678', '04 78 12 34 56'].map((n) =>
        toE164(n, france),
      ),
    ).toEqual(['+33612345678', '+33612345678', '+33612345678', '+33612345678', '+33478123456']);
  });

  it('gives French overseas numbers their own country codes', () => {
    expect([toE164('0692 12 34 56', france), toE164('0590 12 34 56', france), toE164('0696 12 34 56', france)]).toEqual(
      ['+262692123456', '+590590123456', '+596696123456'],
    );
  });

  it('reads international forms whatever the space, the bracketed trunk zero and tel: URIs included', () => {
    expect(
      [
        '+33 (0)6 12 34 56 78',
        '0033 6 12 34 56 78',
        'tel:+33-6-12-34-56-78;ext=12',
        '+1 (415) 555-0134',
        '+44 20 7946 0958 ext. 12',
      ].map((n) => toE164(n, undefined)),
    ).toEqual(['+33612345678', '+33612345678', '+33612345678', '+14155550134', '+442079460958']);
  });

  it('reads North American national numbers in a North American zone', () => {
    const us = dialPlanFor('America/New_York');
    expect([toE164('(415) 555-0134', us), toE164('1-415-555-0134', us), toE164('011 33 6 12 34 56 78', us)]).toEqual([
      '+14155550134',
      '+14155550134',
      '+33612345678',
    ]);
  });

  it('refuses short numbers, letters, wrong lengths and national numbers of an unknown country', () => {
    expect([
      toE164('3631', france),
      toE164('112', france),
      toE164('0800-FLOWERS', france),
      toE164('06 12 34 56', france),
      toE164('0612345678', undefined),
      toE164('+0612', france),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});
