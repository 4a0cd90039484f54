import { describe, it, expect } from 'vitest';
import { FoyerError } from '../errors.js';
import { isFieldPath, parseSelector, parseSort, SELECTOR_MAX_CONDITIONS, SELECTOR_MAX_DEPTH } from './selector.js';

/** The FoyerError `fn` throws (fails the test if it throws nothing or something else). */
function thrown(fn: () => unknown): FoyerError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FoyerError);
    return e as FoyerError;
  }
  throw new Error('expected a FoyerError');
}

function rejects(json: unknown, path: string, message: RegExp): void {
  const e = thrown(() => parseSelector(json));
  expect(e.code).toBe('invalid_selector');
  expect(e.message.startsWith(`${path}:`)).toBe(true);
  expect(e.message).toMatch(message);
  expect(e.details).toEqual({ path });
}

function nestedOr(levels: number): unknown {
  let s: unknown = { a: 1 };
  for (let i = 0; i < levels; i++) s = { $or: [s, { b: i }] };
  return s;
}

describe('parseSelector', () => {
  it('matches everything when empty or absent', () => {
    expect(parseSelector({})).toBeNull();
    expect(parseSelector(null)).toBeNull();
    expect(parseSelector(undefined)).toBeNull();
  });

  it('reads a scalar as $eq', () => {
    expect(parseSelector({ category: 'food' })).toEqual({ op: 'eq', field: 'category', value: 'food' });
    expect(parseSelector({ paid: false })).toEqual({ op: 'eq', field: 'paid', value: false });
    expect(parseSelector({ note: null })).toEqual({ op: 'eq', field: 'note', value: null });
  });

  it('ANDs fields and operators of one field', () => {
    expect(parseSelector({ date: { $gte: '2024-03-01', $lt: '2024-04-01' }, amount: { $lt: 0 } })).toEqual({
      op: 'and',
      of: [
        { op: 'gte', field: 'date', value: '2024-03-01' },
        { op: 'lt', field: 'date', value: '2024-04-01' },
        { op: 'lt', field: 'amount', value: 0 },
      ],
    });
  });

  it('reads every comparison operator', () => {
    for (const [op, kind] of [
      ['$eq', 'eq'],
      ['$ne', 'ne'],
      ['$gt', 'gt'],
      ['$gte', 'gte'],
      ['$lt', 'lt'],
      ['$lte', 'lte'],
    ] as const) {
      expect(parseSelector({ n: { [op]: 3 } })).toEqual({ op: kind, field: 'n', value: 3 });
    }
    expect(parseSelector({ n: { $ne: null } })).toEqual({ op: 'ne', field: 'n', value: null });
  });

  it('reads $in and $exists', () => {
    expect(parseSelector({ label: { $in: ['RENT', 3, null, true] } })).toEqual({
      op: 'in',
      field: 'label',
      values: ['RENT', 3, null, true],
    });
    expect(parseSelector({ file: { $exists: false } })).toEqual({ op: 'exists', field: 'file', value: false });
  });

  it('reads $and and $or, nested, and dotted fields', () => {
    expect(
      parseSelector({
        $or: [{ 'vendor.name': 'EDF' }, { $and: [{ amount: { $lt: -100 } }, { 'period.start': { $exists: true } }] }],
      }),
    ).toEqual({
      op: 'or',
      of: [
        { op: 'eq', field: 'vendor.name', value: 'EDF' },
        {
          op: 'and',
          of: [
            { op: 'lt', field: 'amount', value: -100 },
            { op: 'exists', field: 'period.start', value: true },
          ],
        },
      ],
    });
  });

  it('keeps several conditions of one $or member together', () => {
    expect(parseSelector({ $or: [{ a: 1, b: 2 }, { c: 3 }] })).toEqual({
      op: 'or',
      of: [
        {
          op: 'and',
          of: [
            { op: 'eq', field: 'a', value: 1 },
            { op: 'eq', field: 'b', value: 2 },
          ],
        },
        { op: 'eq', field: 'c', value: 3 },
      ],
    });
  });

  it(`accepts ${SELECTOR_MAX_DEPTH} levels of nesting and refuses more`, () => {
    expect(parseSelector(nestedOr(SELECTOR_MAX_DEPTH))).not.toBeNull();
    const e = thrown(() => parseSelector(nestedOr(SELECTOR_MAX_DEPTH + 1)));
    expect(e.code).toBe('invalid_selector');
    expect(e.message).toMatch(/deeper than 8 levels/);
  });

  it(`accepts ${SELECTOR_MAX_CONDITIONS} conditions and refuses more`, () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, i]));
    expect(parseSelector(many(SELECTOR_MAX_CONDITIONS))).not.toBeNull();
    rejects(many(SELECTOR_MAX_CONDITIONS + 1), `selector.f${SELECTOR_MAX_CONDITIONS}`, /more than 200 conditions/);
    // $in values count too.
    rejects(
      { a: { $in: Array.from({ length: SELECTOR_MAX_CONDITIONS + 1 }, (_, i) => i) } },
      'selector.a.$in',
      /more than 200 conditions/,
    );
  });

  it('refuses a selector that is not an object', () => {
    rejects([], 'selector', /expected an object, got an array/);
    rejects('date', 'selector', /expected an object, got the string "date"/);
    rejects(3, 'selector', /expected an object, got number 3/);
  });

  it('refuses unknown operators, naming them', () => {
    rejects({ label: { $regex: '^EDF' } }, 'selector.label.$regex', /unknown operator "\$regex"/);
    rejects({ $nor: [{ a: 1 }] }, 'selector.$nor', /unknown operator "\$nor"/);
    rejects({ $or: [{ a: { $not: { $eq: 1 } } }] }, 'selector.$or[0].a.$not', /unknown operator "\$not"/);
  });

  it('refuses objects and arrays where a scalar is needed', () => {
    rejects({ tags: ['a', 'b'] }, 'selector.tags', /\$eq needs a string, number, boolean or null, got an array.*\$in/);
    rejects({ n: { $gt: { x: 1 } } }, 'selector.n.$gt', /got an object/);
    rejects({ n: { $eq: [1] } }, 'selector.n.$eq', /got an array/);
    rejects({ n: { $in: [1, [2]] } }, 'selector.n.$in[1]', /got an array/);
    rejects({ n: { $in: [{}] } }, 'selector.n.$in[0]', /got an object/);
  });

  it('refuses range operators on booleans and null', () => {
    rejects({ n: { $gt: true } }, 'selector.n.$gt', /compares numbers or strings, got boolean true/);
    rejects({ n: { $lte: null } }, 'selector.n.$lte', /compares numbers or strings, got null/);
  });

  it('refuses bad operands of $in, $exists, $and and $or', () => {
    rejects({ n: { $in: 'a' } }, 'selector.n.$in', /non-empty array/);
    rejects({ n: { $in: [] } }, 'selector.n.$in', /non-empty array/);
    rejects({ n: { $exists: 1 } }, 'selector.n.$exists', /true or false/);
    rejects({ $and: {} }, 'selector.$and', /non-empty array/);
    rejects({ $or: [] }, 'selector.$or', /non-empty array/);
    rejects({ $or: [3] }, 'selector.$or[0]', /expected an object/);
    rejects({ $or: [{}] }, 'selector.$or[0]', /empty selector/);
  });

  it('refuses empty operator objects and nested objects, suggesting a dotted path', () => {
    rejects({ n: {} }, 'selector.n', /got \{\}/);
    rejects({ vendor: { name: 'EDF' } }, 'selector.vendor.name', /write "vendor\.name"/);
    rejects({ n: { $gt: 1, max: 2 } }, 'selector.n.max', /expected an operator/);
  });

  it('refuses bad field names', () => {
    for (const field of ['a..b', '.a', 'a.', 'a b', "a'); DROP TABLE docs; --", 'é', 'a[0]', 'x'.repeat(201)]) {
      const e = thrown(() => parseSelector({ [field]: 1 }));
      expect(e.code).toBe('invalid_selector');
      expect(e.message).toMatch(/is not a field name/);
    }
  });

  it('refuses non-finite numbers', () => {
    rejects({ n: Number.NaN }, 'selector.n', /finite number/);
    rejects({ n: { $lt: Number.POSITIVE_INFINITY } }, 'selector.n.$lt', /finite number/);
  });
});

describe('parseSort', () => {
  it('reads field names and directions', () => {
    expect(parseSort(['date'])).toEqual([{ field: 'date', direction: 'asc' }]);
    expect(parseSort([{ date: 'desc' }])).toEqual([{ field: 'date', direction: 'desc' }]);
    expect(parseSort([{ amount: 'asc' }, { 'vendor.name': 'desc' }])).toEqual([
      { field: 'amount', direction: 'asc' },
      { field: 'vendor.name', direction: 'desc' },
    ]);
    expect(parseSort([])).toEqual([]);
    expect(parseSort(undefined)).toEqual([]);
  });

  it('refuses anything else, naming the position', () => {
    const cases: [unknown, RegExp][] = [
      ['date', /^sort: expected an array/],
      [{ date: 'desc' }, /^sort: expected an array/],
      [[{ date: 'down' }], /^sort\[0\]\.date: direction must be "asc" or "desc"/],
      [[{ date: 'asc', amount: 'desc' }], /^sort\[0\]: expected a field name/],
      [[3], /^sort\[0\]: expected a field name/],
      [['date', 'a b'], /^sort\[1\]: "a b" is not a field name/],
      [['date', { date: 'desc' }], /^sort\[1\]: "date" is sorted on twice/],
      [Array.from({ length: 9 }, (_, i) => `f${i}`), /^sort: at most 8 sort keys/],
    ];
    for (const [json, message] of cases) {
      const e = thrown(() => parseSort(json));
      expect(e.code).toBe('invalid_selector');
      expect(e.message).toMatch(message);
    }
  });
});

describe('isFieldPath', () => {
  it('accepts dotted segments of letters, digits, "_" and "-"', () => {
    for (const ok of ['date', 'vendor.name', 'a-b.c_d.0', 'X9']) expect(isFieldPath(ok)).toBe(true);
    for (const bad of ['', 'a.', 'a..b', 'a/b', '$a', 'a"b', "a'b"]) expect(isFieldPath(bad)).toBe(false);
  });
});
