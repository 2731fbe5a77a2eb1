import { describe, expect, it } from 'vitest';
import { backupVmAddress } from '../../src/providers/danube/vm-address.js';

describe('danube: the VM a backup call names', () => {
  const uuid = '8f3c7a52-1b0e-4c9d-9a6e-2f4d5b6c7d8e';

  it("names the VM by its uuid where the row carries one: a rename does not change it", () => {
    expect(backupVmAddress({ instanceNativeId: 'app03.example.com', raw: { hostname: 'web03.example.com', vm: 'app03.example.com', vm_uuid: uuid } })).toBe(uuid);
  });

  it('names it by hostname where the row has no uuid, or something else in its place', () => {
    expect(backupVmAddress({ instanceNativeId: 'web03.example.com', raw: { hostname: 'web03.example.com' } })).toBe('web03.example.com');
    expect(backupVmAddress({ instanceNativeId: 'web03.example.com', raw: { vm_uuid: null } })).toBe('web03.example.com');
    expect(backupVmAddress({ instanceNativeId: 'web03.example.com', raw: { vm_uuid: '../../task' } })).toBe('web03.example.com');
    expect(() => backupVmAddress({ instanceNativeId: null, raw: {} })).toThrow(/lacks its VM/);
  });
});
