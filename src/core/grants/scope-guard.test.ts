import { describe, expect, it } from 'vitest';
import { FoyerError } from '../errors.js';
import type { Scope } from './grant.js';
import { compileScope, type CompiledScope } from './grant-terms.js';
import { checkQueryFields, checkWritable } from './scope-guard.js';

function scopeOf(fields: string[] | undefined, filter?: Record<string, unknown>): CompiledScope {
  const scope: Scope = { doctype: 'contact.person', verbs: ['create'] };
  if (fields) scope.fields = fields;
  if (filter) scope.filter = filter;
  return compileScope(scope);
}

function refusal(run: () => void): FoyerError {
  try {
    run();
  } catch (e) {
    if (e instanceof FoyerError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('scope guard: fields of a write', () => {
  it('lets a listed field cover everything under it', () => {
    expect(() =>
      checkWritable(scopeOf(['name', 'address']), { name: 'A', address: { city: 'Lyon', geo: { lat: 1 } } }),
    ).not.toThrow();
  });

  it('names every leaf outside the list, nested ones by their dotted path', () => {
    const e = refusal(() =>
      checkWritable(scopeOf(['name', 'address.city']), {
        name: 'A',
        address: { city: 'Lyon', zip: '69001' },
        phone: '0102',
      }),
    );
    expect(e.code).toBe('field_not_granted');
    expect(e.details).toMatchObject({ fields: ['address.zip', 'phone'] });
  });

  it('reads a key holding a dot as the dotted path it spells', () => {
    expect(() => checkWritable(scopeOf(['a']), { 'a.b': 1 })).not.toThrow();
    expect(refusal(() => checkWritable(scopeOf(['a.b']), { a: { c: 1 } })).details).toMatchObject({
      fields: ['a.c'],
    });
  });

  it('treats an empty object and an array as leaves', () => {
    expect(() => checkWritable(scopeOf(['tags', 'extra']), { tags: [{ x: 1 }], extra: {} })).not.toThrow();
    expect(refusal(() => checkWritable(scopeOf(['tags']), { tags: [], extra: {} })).details).toMatchObject({
      fields: ['extra'],
    });
  });

  it('does not take a listed field for a prefix of a longer name', () => {
    expect(refusal(() => checkWritable(scopeOf(['name']), { names: 'x' })).details).toMatchObject({
      fields: ['names'],
    });
  });

  it('refuses data outside the filter once the fields pass', () => {
    const scope = scopeOf(['name', 'city'], { city: 'Lyon' });
    expect(() => checkWritable(scope, { name: 'A', city: 'Lyon' })).not.toThrow();
    expect(refusal(() => checkWritable(scope, { name: 'A', city: 'Paris' })).code).toBe('filter_denied');
  });

  it('checks query fields the same way, and nothing without a field list', () => {
    expect(() => checkQueryFields(scopeOf(['address']), ['address.city'], 'The selector')).not.toThrow();
    expect(refusal(() => checkQueryFields(scopeOf(['address']), ['addresses'], 'The selector')).code).toBe(
      'field_not_granted',
    );
    expect(() => checkWritable(scopeOf(undefined), { anything: { at: 'all' } })).not.toThrow();
  });
});
