import { describe, expect, it } from 'vitest';
import { filterReads, type FilterReach } from '../../src/gateway/rows-a-filter-reads.js';

const list = (provider: string, instanceNativeId: string | null, name: 'instances' | 'backups' = 'backups') => ({ provider, list: name, instanceNativeId });

describe('filterReads: whether a list that left rows out is one a filtered field read', () => {
  it('with no account named and no VM, reads every list of every account, the instance lists and rows of no VM too', () => {
    const reach: FilterReach = { providers: null, instance: null };
    for (const each of [list('a', 'vm-1'), list('b', 'vm-2'), list('a', null), list('a', null, 'instances')]) expect(filterReads(reach, each), JSON.stringify(each)).toBe(true);
  });

  it("with accounts named, reads only their lists, whatever the VM", () => {
    const reach: FilterReach = { providers: new Set(['a', 'c']), instance: null };
    expect(filterReads(reach, list('a', 'vm-1'))).toBe(true);
    expect(filterReads(reach, list('c', null))).toBe(true);
    expect(filterReads(reach, list('b', 'vm-1'))).toBe(false);
    expect(filterReads({ providers: new Set(), instance: null }, list('a', 'vm-1'))).toBe(false);
  });

  it("with a VM named, reads only that VM's lists of its own account: not another VM's, not the same VM id of another account, not a row of no VM", () => {
    const reach: FilterReach = { providers: null, instance: { providerId: 'a', nativeId: 'vm-1' } };
    expect(filterReads(reach, list('a', 'vm-1'))).toBe(true);
    expect(filterReads(reach, list('a', 'vm-2'))).toBe(false);
    expect(filterReads(reach, list('b', 'vm-1'))).toBe(false);
    expect(filterReads(reach, list('a', null))).toBe(false);
    expect(filterReads(reach, list('a', null, 'instances'))).toBe(false);
  });

  it('with both, needs the account named and the VM', () => {
    const reach: FilterReach = { providers: new Set(['a']), instance: { providerId: 'a', nativeId: 'vm-1' } };
    expect(filterReads(reach, list('a', 'vm-1'))).toBe(true);
    expect(filterReads({ providers: new Set(['b']), instance: { providerId: 'a', nativeId: 'vm-1' } }, list('a', 'vm-1'))).toBe(false);
  });
});
