import { describe, expect, it } from 'vitest';
import { mapBackup } from '../../src/providers/danube/mapper.js';
import { hostnamesByUuid, ownedByUuid } from '../../src/providers/danube/vm-by-uuid.js';

const WEB01 = '0b7d5a5e-1f44-4c52-9d43-6c1c2b2f6a01';
const WEB02 = '0b7d5a5e-1f44-4c52-9d43-6c1c2b2f6a02';

describe('danube: a backup row is the VM its vm_uuid names', () => {
  const hostnames = hostnamesByUuid([
    { hostname: 'web01', uuid: WEB01 },
    { hostname: 'web02', uuid: WEB02.toUpperCase() },
    // Hostile or partial VM rows name nobody.
    { hostname: 'web03', uuid: 'not-a-uuid' },
    { hostname: ['web04'], uuid: '0b7d5a5e-1f44-4c52-9d43-6c1c2b2f6a04' },
    { hostname: '', uuid: '0b7d5a5e-1f44-4c52-9d43-6c1c2b2f6a05' },
  ]);

  it('reads only rows with a hostname and a uuid written as esdc-ce writes one, by lowercase uuid', () => {
    expect([...hostnames]).toEqual([[WEB01, 'web01'], [WEB02, 'web02']]);
  });

  it("takes the uuid's VM over the row's vm; keeps the mapper's reading without a known uuid", () => {
    const owner = (row: Record<string, unknown>) => ownedByUuid(mapBackup('d', 'web01', { name: 'daily-1', ...row }), hostnames).instanceNativeId;
    expect(owner({ vm: 'web01', vm_uuid: WEB02 })).toBe('web02');
    expect(owner({ vm: 'web01', vm_uuid: WEB02.toUpperCase() })).toBe('web02');
    expect(owner({ vm: 'web02', vm_uuid: WEB01 })).toBe('web01');
    expect(owner({ vm: 'web02', vm_uuid: '0b7d5a5e-1f44-4c52-9d43-6c1c2b2f6aff' })).toBe('web02');
    expect(owner({ vm: 'web02', vm_uuid: null })).toBe('web02');
    expect(owner({ vm: 'web02', vm_uuid: { toString: 'x' } })).toBe('web02');
    expect(owner({})).toBe('web01');
  });
});
