import { describe, expect, it } from 'vitest';
import { firstOfEachId } from '../../src/gateway/first-of-each-id.js';

interface Row {
  id: string;
  name: string;
}
const row = (id: string, name: string): Row => ({ id, name });
const idOf = (item: Row) => item.id;

describe('firstOfEachId', () => {
  it('hands back the list itself when no id repeats (no copy made)', () => {
    const list = [row('a', 'one'), row('b', 'two'), row('c', 'three')];
    expect(firstOfEachId(list, idOf)).toBe(list);
    const one = [row('a', 'one')];
    expect(firstOfEachId(one, idOf)).toBe(one);
    const none: Row[] = [];
    expect(firstOfEachId(none, idOf)).toBe(none);
  });

  it('keeps the first record of an id listed twice, in the list order, and drops the later copies', () => {
    const list = [row('a', 'first a'), row('b', 'b'), row('a', 'second a'), row('c', 'c'), row('a', 'third a'), row('b', 'second b')];
    expect(firstOfEachId(list, idOf).map((item) => item.name)).toEqual(['first a', 'b', 'c']);
  });

  it('a repeat at the very end or of two records only is found too', () => {
    expect(firstOfEachId([row('a', '1'), row('a', '2')], idOf).map((item) => item.name)).toEqual(['1']);
    expect(firstOfEachId([row('a', '1'), row('b', '2'), row('c', '3'), row('b', '4')], idOf).map((item) => item.name)).toEqual(['1', '2', '3']);
  });

  it('leaves the list it was given as it was', () => {
    const list = [row('a', '1'), row('a', '2')];
    firstOfEachId(list, idOf);
    expect(list.map((item) => item.name)).toEqual(['1', '2']);
  });
});
