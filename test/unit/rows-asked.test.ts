import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types.js';
import { instancesAsked } from '../../src/providers/rows-asked.js';

type Row = { id: unknown; name?: string };
const map = (row: Row): Instance => {
  if (row.name === 'broken') throw new Error('a field the mapper does not read');
  return { providerId: 'p', nativeId: String(row.id), name: row.name ?? '', state: null, raw: {} };
};
const asked = (ids: string[], rows: Row[]) => instancesAsked(ids, rows, (row) => row.id, map, 'p');

describe('instancesAsked: only the rows of the VMs asked are mapped', () => {
  it('answers each id asked in order, null for one not listed, an integer id as its text', () => {
    expect(asked(['7', 'b', 'gone'], [{ id: 'b', name: 'B' }, { id: 7, name: 'seven' }]).map((row) => (row as Instance | null)?.name ?? null)).toEqual(['seven', 'B', null]);
  });

  it('never reads a row not asked: one whose id cannot be read back, or that the mapper would refuse', () => {
    const rows: Row[] = [{ id: 'x'.repeat(2000) }, { id: 'half\uD800' }, { id: 2 ** 53 + 2 }, { id: { nested: true } }, { id: 'other', name: 'broken' }, { id: 'a', name: 'A' }];
    expect(asked(['a'], rows)).toEqual([map({ id: 'a', name: 'A' })]);
  });

  it('keeps the first of a row the answer repeats', () => {
    expect((asked(['a'], [{ id: 'a', name: 'first' }, { id: 'a', name: 'second' }])[0] as Instance).name).toBe('first');
  });

  it('a forged id asked, equal to a row whose id cannot be read back, names nothing (the gateway never made it)', () => {
    const long = 'x'.repeat(1000);
    expect(asked([long, 'a'], [{ id: long }, { id: 'a', name: 'A' }]).map((row) => (row as Instance | null)?.name ?? null)).toEqual([null, 'A']);
  });

  it('a row asked is read whole: a failure of it fails the lookup, never null for a listed VM', () => {
    expect(() => asked(['a'], [{ id: 'a', name: 'broken' }])).toThrow('a field the mapper does not read');
  });

  it('never maps a row not asked, even the first of them and one the mapper refuses', () => {
    expect(asked(['a'], [{ id: 'other', name: 'broken' }, { id: 'a', name: 'A' }])).toEqual([map({ id: 'a', name: 'A' })]);
  });

  it('never maps a row asked whose id the gateway cannot read back, even one the mapper refuses: the lookup answers null, no throw', () => {
    const long = 'x'.repeat(1000);
    expect(asked([long], [{ id: long, name: 'broken' }])).toEqual([null]);
  });
});
