import { rootVolumeOf, volumeRowsOf, type VmVolumes } from './vm-volumes.js';

type Row = Record<string, unknown>;

const UUID = /^[0-9a-f]{32}$/;

/** The root volumes these VM rows name (each once): what the claim query asks by. */
export function rootVolumesOf(vmRows: readonly Row[]): string[] {
  const roots = new Set<string>();
  for (const row of vmRows) {
    const root = rootVolumeOf(row, volumeRowsOf(row));
    if (root) roots.add(root);
  }
  return [...roots];
}

/**
 * The VMs' volumes with the root volumes two or more VM rows name taken out (sharedRootVolume):
 * `asked` are the rows of the VMs whose backups are read, `claimants` rows of any other VMs naming
 * their root volumes (the request's whole VM list, or ZStack's answer to `rootVolumeUuid?=`), so a
 * VM read alone is caught as a dashboard catches it. Only a claimant's uuid of ZStack's shape
 * counts: it is named in the error, and the rows' other text never is.
 */
export function withSharedRootVolumes(volumes: VmVolumes, asked: readonly Row[], claimants: readonly Row[]): VmVolumes {
  // A row in both is counted once: each VM is named once per root volume.
  const claims = rootClaims([...asked, ...claimants]);
  const askedRoots = new Set(rootVolumesOf(asked));
  const vmOfRootVolume = new Map(volumes.vmOfRootVolume);
  const vmOfVolume = new Map(volumes.vmOfVolume);
  const sharedRootVolume = new Map<string, readonly string[]>();
  for (const [root, vms] of claims) {
    if (vms.length < 2 || !askedRoots.has(root)) continue;
    vmOfRootVolume.delete(root);
    vmOfVolume.delete(root);
    for (const vm of vms) sharedRootVolume.set(vm, vms);
  }
  return sharedRootVolume.size === 0 ? volumes : { ...volumes, vmOfRootVolume, vmOfVolume, sharedRootVolume };
}

/** Each root volume the rows name, with the VMs naming it (each once, first listed first). */
function rootClaims(vmRows: readonly Row[]): Map<string, string[]> {
  const claims = new Map<string, string[]>();
  for (const row of vmRows) {
    const vm = row.uuid;
    if (typeof vm !== 'string' || !UUID.test(vm)) continue;
    const root = rootVolumeOf(row, volumeRowsOf(row));
    if (!root) continue;
    const vms = claims.get(root);
    if (!vms) claims.set(root, [vm]);
    else if (!vms.includes(vm)) vms.push(vm);
  }
  return claims;
}
