import { describe, expect, it } from 'vitest';
import { backupRowVmUuid, isRowOfVmUuid } from '../../src/providers/danube/backup-row-vm-uuid.js';
import { backupVmAddress } from '../../src/providers/danube/vm-address.js';

describe("danube: a backup row's vm_uuid, read by one rule", () => {
  const uuid = '8f3c7a52-1b0e-4c9d-9a6e-2f4d5b6c7d8e';
  const other = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';

  it('names a VM only where it is written as a uuid', () => {
    expect(backupRowVmUuid({ vm_uuid: uuid })).toBe(uuid);
    for (const none of [undefined, null, '', '../../task', 42, ['x'], { uuid }]) expect(backupRowVmUuid({ vm_uuid: none })).toBeNull();
  });

  it('keeps a row listed by a uuid as that VM\'s when it names that uuid (case aside) or none, "" included (the delete\'s look-up read "" as another VM\'s)', () => {
    expect(isRowOfVmUuid({ vm_uuid: uuid }, uuid)).toBe(true);
    expect(isRowOfVmUuid({ vm_uuid: uuid.toUpperCase() }, uuid)).toBe(true);
    expect(isRowOfVmUuid({}, uuid)).toBe(true);
    expect(isRowOfVmUuid({ vm_uuid: null }, uuid)).toBe(true);
    expect(isRowOfVmUuid({ vm_uuid: '' }, uuid)).toBe(true);
    expect(isRowOfVmUuid({ vm_uuid: other }, uuid)).toBe(false);
  });

  it('agrees with how a backup call addresses its VM: "" is no uuid there either', () => {
    expect(backupVmAddress({ instanceNativeId: 'web03.example.com', raw: { vm_uuid: '' } })).toBe('web03.example.com');
    expect(backupVmAddress({ instanceNativeId: 'web03.example.com', raw: { vm_uuid: uuid } })).toBe(uuid);
  });
});
