import { describe, expect, it } from 'vitest';
import { backupRowVm } from '../../src/providers/danube/backup-row-vm.js';

describe("danube: the VM a backup row is of", () => {
  it('is the row\'s `vm` where it names one, whatever the VM asked for or the hostname the backup was made under', () => {
    expect(backupRowVm({ vm: 'web02', hostname: 'web01' }, 'web01', 'danube-test')).toBe('web02');
    expect(backupRowVm({ vm: 17 }, 'web01', 'danube-test')).toBe('17');
  });

  it('is the VM asked for where the row names none: `vm` absent, null or empty', () => {
    for (const row of [{}, { vm: null }, { vm: '' }, { hostname: 'old-name' }]) expect(backupRowVm(row, 'web01', 'danube-test'), JSON.stringify(row)).toBe('web01');
  });

  it('makes the answer invalid where `vm` is no id text, naming the account', () => {
    for (const vm of [true, { name: 'web02' }, 2 ** 53 + 1]) {
      expect(() => backupRowVm({ vm }, 'web01', 'danube-test'), JSON.stringify(vm)).toThrow(
        expect.objectContaining({ code: 'PROVIDER_ERROR', details: expect.objectContaining({ provider: 'danube-test', providerCode: 'INVALID_RESPONSE' }) }),
      );
    }
  });
});
