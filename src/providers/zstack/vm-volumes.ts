import { idTextOrNull } from '../native-id.js';

type Row = Record<string, unknown>;

const UUID = /^[0-9a-f]{32}$/;

/**
 * The volumes of the VMs a backup list is for, read from their `vm-instances` rows: what the
 * volume-backup query asks by (`volumeUuid`, the one field of a volume backup the API docs name
 * that ties it to a VM) and whose VM a row without `vmInstanceUuid` is of. One map per account
 * read: the VMs are asked for in one batched query, never per backup row.
 */
export interface VmVolumes {
  /** Every volume of the VMs (their root volume and each of `allVolumes`), each once. */
  readonly volumes: string[];
  /** A root volume's VM: a backup group is its root volume's VM's. */
  readonly vmOfRootVolume: ReadonlyMap<string, string>;
  /**
   * Every volume's VM as the VM rows list it now (past MAX_VOLUMES_PER_VM too): a VM backup counts
   * the rows of its VM's current volumes only, and a row outside any group is its volume's VM's.
   */
  readonly vmOfVolume: ReadonlyMap<string, string>;
  /** The VMs whose rows were read. */
  readonly listed: ReadonlySet<string>;
  /** Those of them whose volumes are all in vmOfVolume (naming a readable root volume, listing no more than MAX_KNOWN_VOLUMES_PER_VM). */
  readonly wholeVolumes: ReadonlySet<string>;
  /**
   * VMs asked by `vmInstanceUuid` too, for the rows that name them: those listing more than
   * MAX_VOLUMES_PER_VM volumes (the rows past the cap), and those naming no root volume the gateway
   * can read (no `rootVolumeUuid`, no `allVolumes` entry typed Root, or no ZStack uuid). Asked by
   * their data volumes alone, or by nothing, such a VM showed no backups (a false UNPROTECTED), or
   * each backup as its data volume alone (that volume's name and size).
   */
  readonly askByVmToo: string[];
  /**
   * VMs whose root volume another VM row names as its root volume too, each with every VM naming
   * it (first listed first). A root volume is one VM's, so the node's answer is wrong about one of
   * them at least: neither VM's backups are trusted (taken by the first, they vouched for it, and
   * the other read UNPROTECTED), and the volume is in no VM's vmOfRootVolume or vmOfVolume. Set by
   * withSharedRootVolumes (shared-root-volumes.ts), from the rows of every VM naming those volumes.
   */
  readonly sharedRootVolume: ReadonlyMap<string, readonly string[]>;
}

/** No VM rows read: rows are told by their own `vmInstanceUuid` alone. */
export const NO_VM_VOLUMES: VmVolumes = { volumes: [], vmOfRootVolume: new Map(), vmOfVolume: new Map(), listed: new Set(), wholeVolumes: new Set(), askByVmToo: [], sharedRootVolume: new Map() };

/**
 * The most volumes of one VM the backup query asks by, its root volume first. The node's VM row
 * says how many there are: one row listing 5,000 made one backup read some 45 queries (and a
 * 32 MiB answer could list 800,000). A KVM VM takes a few dozen disks at most.
 */
export const MAX_VOLUMES_PER_VM = 64;

/**
 * The most volumes of one VM whose VM is remembered (vmOfVolume). A row listing more is no KVM
 * VM's: its volumes past this are not remembered (800,000 of them would be held for the read),
 * and its backups are counted whole, as before volumes were checked.
 */
export const MAX_KNOWN_VOLUMES_PER_VM = 4096;

const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** The volume entries a VM row lists (`allVolumes`), objects only. */
export function volumeRowsOf(row: Row): Row[] {
  return Array.isArray(row.allVolumes) ? (row.allVolumes as unknown[]).filter((volume): volume is Row => typeof volume === 'object' && volume !== null) : [];
}

/**
 * A VM row's root volume: `rootVolumeUuid`, else the `allVolumes` entry typed Root. Either that is
 * no ZStack uuid is passed over for the other: a `rootVolumeUuid` of "" hid a Root entry, and rows
 * naming no VM went to nobody.
 */
export function rootVolumeOf(row: Row, all: Row[]): string | null {
  if (isUuid(row.rootVolumeUuid)) return row.rootVolumeUuid;
  const listed = all.find((volume) => volume.type === 'Root' && isUuid(volume.uuid))?.uuid;
  return isUuid(listed) ? listed : null;
}

export function vmVolumes(providerId: string, vmRows: readonly Row[]): VmVolumes {
  const volumes = new Set<string>();
  const vmOfRootVolume = new Map<string, string>();
  const vmOfVolume = new Map<string, string>();
  const listed = new Set<string>();
  const wholeVolumes = new Set<string>();
  const askByVmToo: string[] = [];
  for (const row of vmRows) {
    const vm = idTextOrNull(row.uuid, providerId);
    if (!vm) continue;
    listed.add(vm);
    const all = volumeRowsOf(row);
    const root = rootVolumeOf(row, all);
    if (root && !vmOfRootVolume.has(root)) vmOfRootVolume.set(root, vm);
    if (!root) askByVmToo.push(vm);
    if (root && !vmOfVolume.has(root)) vmOfVolume.set(root, vm);
    const own = new Set<string>(root ? [root] : []);
    let capped = false;
    let known = 0;
    for (const volume of all) {
      if (typeof volume.uuid !== 'string' || !UUID.test(volume.uuid)) continue;
      known += 1;
      // The first VM listing a volume holds it (a row listing another VM's volume is no transfer).
      if (known <= MAX_KNOWN_VOLUMES_PER_VM && !vmOfVolume.has(volume.uuid)) vmOfVolume.set(volume.uuid, vm);
      if (capped || own.has(volume.uuid)) continue;
      if (own.size >= MAX_VOLUMES_PER_VM) {
        if (root) askByVmToo.push(vm);
        capped = true;
        continue;
      }
      own.add(volume.uuid);
    }
    for (const volume of own) volumes.add(volume);
    // Without a readable root volume the row does not list its volumes whole: rows asked by the VM itself count.
    if (root && known <= MAX_KNOWN_VOLUMES_PER_VM) wholeVolumes.add(vm);
  }
  return { volumes: [...volumes], vmOfRootVolume, vmOfVolume, listed, wholeVolumes, askByVmToo, sharedRootVolume: new Map() };
}
