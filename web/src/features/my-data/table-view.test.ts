import { describe, expect, it } from 'vitest';
import { filterRows, sortRows } from './table-view.js';

describe('table view', () => {
  const search = ['edf énergie 87,40', 'orange mobile 19,99', 'edf gaz 40,00', 'loyer 800'];
  it('keeps the rows holding every word of the filter, in any order', () => {
    expect([...filterRows(search, 'EDF')]).toEqual([0, 2]);
    expect([...filterRows(search, 'gaz edf')]).toEqual([2]);
    expect([...filterRows(search, '')]).toEqual([0, 1, 2, 3]);
    expect([...filterRows(search, 'nothing')]).toEqual([]);
  });
  it('narrows a previous result', () => {
    expect([...filterRows(search, 'edf', Uint32Array.from([1, 2, 3]))]).toEqual([2]);
  });
  it('sorts by a column both ways, missing values last, equal keys in row order', () => {
    const keys = [3, null, 1, 3];
    expect([...sortRows(Uint32Array.from([0, 1, 2, 3]), keys, 'asc')]).toEqual([2, 0, 3, 1]);
    expect([...sortRows(Uint32Array.from([0, 1, 2, 3]), keys, 'desc')]).toEqual([0, 3, 2, 1]);
    expect([...sortRows(Uint32Array.from([0, 2]), ['b', 'x', 'a'], 'asc')]).toEqual([2, 0]);
  });
});
