import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid } from '../../testing/importers.js';
import {
  expectIgnoresForeignFiles,
  fixture,
  fixtureText,
  imported,
  importedFixture,
  importFailure,
} from './energy-testing.js';
import { greenButtonImporter, usagePointIdOf } from './green-button.js';

const ELECTRIC_POINT = usagePointIdOf('RetailCustomer/9b6c7063/UsagePoint/01');
const GAS_POINT = usagePointIdOf('RetailCustomer/5/UsagePoint/2');
const NEW_YORK_LTP =
  '<LocalTimeParameters xmlns="http://naesb.org/espi"><dstEndRule>B40E2000</dstEndRule><dstOffset>3600</dstOffset><dstStartRule>360E2000</dstStartRule><tzOffset>-18000</tzOffset></LocalTimeParameters>';

interface FeedOptions {
  readingType?: Record<string, number>;
  /** [start (epoch s), duration (s), value] */
  readings: [number, number, string][];
  ltp?: boolean;
}

/** A small feed in the shape utilities publish, the ReadingType last. */
function feed({ readingType = {}, readings, ltp = true }: FeedOptions): string {
  const rt = {
    accumulationBehaviour: 4,
    commodity: 1,
    flowDirection: 1,
    kind: 12,
    powerOfTenMultiplier: 0,
    uom: 72,
    ...readingType,
  };
  const entry = (links: string, content: string) => `<entry>${links}<content>${content}</content></entry>\n`;
  const link = (rel: string, href: string) => `<link rel="${rel}" href="${href}"/>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n',
    entry(
      link('self', 'UsagePoint/1') + (ltp ? link('related', 'LocalTimeParameters/1') : ''),
      '<UsagePoint xmlns="http://naesb.org/espi"><ServiceCategory><kind>0</kind></ServiceCategory></UsagePoint>',
    ),
    ltp ? entry(link('self', 'LocalTimeParameters/1'), NEW_YORK_LTP) : '',
    entry(
      link('self', 'UsagePoint/1/MeterReading/1') + link('related', 'ReadingType/1'),
      '<MeterReading xmlns="http://naesb.org/espi"/>',
    ),
    entry(
      link('self', 'UsagePoint/1/MeterReading/1/IntervalBlock/1'),
      `<IntervalBlock xmlns="http://naesb.org/espi">\n${readings
        .map(
          ([start, duration, value]) =>
            `<IntervalReading><timePeriod><duration>${duration}</duration><start>${start}</start></timePeriod><value>${value}</value></IntervalReading>\n`,
        )
        .join('')}</IntervalBlock>`,
    ),
    entry(
      link('self', 'ReadingType/1'),
      `<ReadingType xmlns="http://naesb.org/espi">${Object.entries(rt)
        .map(([k, v]) => `<${k}>${v}</${k}>`)
        .join('')}</ReadingType>`,
    ),
    '</feed>\n',
  ].join('');
}

const at = (iso: string) => Date.parse(iso) / 1000;
/** The 23 hours of 10 March 2024 in New York (clocks jump at 02:00 EST), hour by hour. */
const springHours = (value: (i: number) => number, count = 23): [number, number, string][] =>
  Array.from({ length: count }, (_, i) => [at('2024-03-10T05:00:00Z') + i * 3600, 3600, String(value(i))]);

describe('Green Button detection', () => {
  it('recognises ESPI feeds, with or without prefixes and stylesheets', async () => {
    expect(await detectionOf(greenButtonImporter, fixture('green-button-electricity.xml'), 'x.txt')).toBe(0.95);
    expect(await detectionOf(greenButtonImporter, fixture('green-button-gas.xml'), 'x.txt')).toBe(0.95);
    const unprefixed = fixtureText('green-button-gas.xml').replaceAll(' xmlns="http://naesb.org/espi"', '');
    expect(await detectionOf(greenButtonImporter, unprefixed, 'x.txt')).toBe(0.9);
  });

  it('leaves other importers’ files (and other Atom feeds) alone', async () => {
    await expectIgnoresForeignFiles(greenButtonImporter);
  });
});

describe('Green Button electricity', () => {
  it('turns 15-minute Wh into half-hour average watts and a 25-hour autumn day into one daily total, its ReadingType coming last', async () => {
    const { records, of, warnings } = await importedFixture(greenButtonImporter, 'green-button-electricity.xml');
    const curve = of('energy.electricity.load-curve');
    expect(curve).toHaveLength(50);
    expect(curve[0]).toEqual({ usagePointId: ELECTRIC_POINT, t: '2024-11-03T04:00:00Z', powerW: 426 });
    expect(curve[1]).toEqual({ usagePointId: ELECTRIC_POINT, t: '2024-11-03T04:30:00Z', powerW: 530 });
    // Reading 9 (06:15Z) is estimated: its half-hour is too.
    expect(curve[4]).toEqual({
      usagePointId: ELECTRIC_POINT,
      t: '2024-11-03T06:00:00Z',
      powerW: 842,
      quality: 'estimated',
    });
    expect(curve[49]).toEqual({ usagePointId: ELECTRIC_POINT, t: '2024-11-04T04:30:00Z', powerW: 522 });
    expect(of('energy.electricity.daily')).toEqual([
      { usagePointId: ELECTRIC_POINT, date: '2024-11-03', energyKwh: 22.1, quality: 'estimated' },
    ]);
    expect(warnings).toEqual([]);
    await expectCatalogValid(records);
  });

  it('makes hourly readings daily totals only, a 23-hour spring day included, and says when a day is incomplete', async () => {
    const complete = await imported(greenButtonImporter, feed({ readings: springHours((i) => 1000 + i) }));
    expect(complete.of('energy.electricity.load-curve')).toEqual([]);
    expect(complete.of('energy.electricity.daily')).toEqual([
      { usagePointId: usagePointIdOf('UsagePoint/1'), date: '2024-03-10', energyKwh: 23.253 },
    ]);
    const partial = await imported(greenButtonImporter, feed({ readings: springHours((i) => 1000 + i, 22) }));
    expect(partial.of('energy.electricity.daily')).toEqual([]);
    expect(partial.warnings).toEqual([
      { line: 7, message: 'the readings of 2024-03-10 do not cover the whole day: no daily total for it.' },
    ]);
  });

  it('takes the ReadingType’s intervalLength for readings that leave their duration out', async () => {
    const text = feed({
      readingType: { intervalLength: 1800 },
      readings: [[at('2024-01-15T17:00:00Z'), 1800, '250']],
    }).replace('<duration>1800</duration>', '');
    const { of } = await imported(greenButtonImporter, text);
    expect(of('energy.electricity.load-curve')).toEqual([
      { usagePointId: usagePointIdOf('UsagePoint/1'), t: '2024-01-15T17:00:00Z', powerW: 500 },
    ]);
  });

  it('scales values by powerOfTenMultiplier exactly', async () => {
    const { of } = await imported(
      greenButtonImporter,
      feed({ readingType: { powerOfTenMultiplier: -3 }, readings: [[at('2024-01-15T17:00:00Z'), 1800, '1234567']] }),
    );
    expect(of('energy.electricity.load-curve')).toEqual([
      { usagePointId: usagePointIdOf('UsagePoint/1'), t: '2024-01-15T17:00:00Z', powerW: 2469.134 },
    ]);
  });

  it('skips what is not consumption delivered to the home, once, with a reason', async () => {
    const reading: [number, number, string][] = [[at('2024-01-15T17:00:00Z'), 1800, '500']];
    for (const [readingType, reason] of [
      [{ flowDirection: 19 }, /not energy delivered to the home \(flowDirection 19\)/],
      [{ accumulationBehaviour: 9 }, /register readings, not consumption per interval \(accumulationBehaviour 9\)/],
      [{ commodity: 9, uom: 42 }, /commodity \(9\) is neither electricity nor natural gas/],
      [{ uom: 38 }, /electricity in unit 38 is not energy in Wh/],
    ] as const) {
      const { records, warnings } = await imported(
        greenButtonImporter,
        feed({ readingType, readings: [...reading, ...reading] }),
      );
      expect(records).toEqual([]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.message).toMatch(reason);
    }
  });

  it('counts days in the space’s zone when the feed has no LocalTimeParameters, and says so', async () => {
    const readings: [number, number, string][] = Array.from({ length: 24 }, (_, i) => [
      at('2024-01-14T23:00:00Z') + i * 3600,
      3600,
      '1000',
    ]);
    const { of, warnings } = await imported(greenButtonImporter, feed({ readings, ltp: false }));
    expect(of('energy.electricity.daily')).toEqual([
      { usagePointId: usagePointIdOf('UsagePoint/1'), date: '2024-01-15', energyKwh: 24 },
    ]);
    expect(warnings).toEqual([{ message: 'the file has no LocalTimeParameters: days are counted in Europe/Paris.' }]);
  });
});

describe('Green Button gas', () => {
  it('converts therms to kWh, each day a whole local day, the 23-hour spring day included', async () => {
    const { records, of, warnings } = await importedFixture(greenButtonImporter, 'green-button-gas.xml');
    expect(of('energy.gas.daily')).toEqual([
      { usagePointId: GAS_POINT, date: '2024-03-09', energyKwh: 67.683 },
      { usagePointId: GAS_POINT, date: '2024-03-10', energyKwh: 62.995 },
      { usagePointId: GAS_POINT, date: '2024-03-11', energyKwh: 58.014 },
    ]);
    expect(warnings).toEqual([]);
    await expectCatalogValid(records);
  });

  it('gives a usage point the same 14-digit id on every import', () => {
    expect(GAS_POINT).toMatch(/^\d{14}$/);
    expect(usagePointIdOf('RetailCustomer/5/UsagePoint/2')).toBe(GAS_POINT);
    expect(usagePointIdOf('RetailCustomer/5/UsagePoint/3')).not.toBe(GAS_POINT);
    expect(usagePointIdOf('UsagePoint/21456789012345')).toBe('21456789012345');
  });
});

describe('Green Button bad input', () => {
  const one = (value: string, start = at('2024-01-15T17:00:00Z')) => feed({ readings: [[start, 1800, value]] });

  it('refuses truncated XML and entity declarations, naming file and line', async () => {
    const text = fixtureText('green-button-electricity.xml');
    const cut = await importFailure(
      greenButtonImporter,
      text.slice(0, text.indexOf('<espi:IntervalReading>', text.length / 2)),
      'usage.xml',
    );
    expect(cut.code).toBe('import_invalid');
    expect(cut.message).toBe(
      'usage.xml, line 387: this is not well-formed XML (387:8: unclosed tag: espi:IntervalBlock).',
    );
    const bomb = await importFailure(
      greenButtonImporter,
      text.replace('<feed ', '<!DOCTYPE feed [<!ENTITY a "aaaa">]>\n<feed '),
      'usage.xml',
    );
    expect(bomb.message).toMatch(/^usage\.xml, line \d+: the file declares XML entities/);
  });

  it('warns for a value that is not an integer, with its line', async () => {
    const { records, warnings } = await imported(greenButtonImporter, one('12.5kWh'));
    expect(records).toEqual([]);
    expect(warnings).toEqual([{ line: 7, message: 'the value "12.5kWh" is not an integer: reading skipped.' }]);
  });

  it('refuses absurd values and dates', async () => {
    const huge = await importFailure(greenButtonImporter, one('5000000000'), 'usage.xml');
    expect(huge.message).toBe(
      'usage.xml, line 7: the value 5000000000 is not plausible for a meter (an average of 10000000000 W).',
    );
    const negative = await importFailure(greenButtonImporter, one('-5'), 'usage.xml');
    expect(negative.message).toBe('usage.xml, line 7: the value -5 is negative, which delivered energy cannot be.');
    const future = await importFailure(greenButtonImporter, one('5', 253402300800), 'usage.xml');
    expect(future.message).toBe(
      'usage.xml, line 7: the time period starting 253402300800 (+010000-01-01T00:00:00.000Z) lasting 1800 s is not plausible.',
    );
  });

  it('refuses an Atom feed without any usage data', async () => {
    const e = await importFailure(
      greenButtonImporter,
      '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id></entry></feed>',
      'news.xml',
    );
    expect(e.message).toBe('news.xml: no Green Button usage data found (no MeterReading, no IntervalReading).');
  });
});
