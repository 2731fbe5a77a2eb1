import { appendToGroup } from '../../domain/arrays.js';
import type { Backup, BackupMode, BackupStatus, Instance } from '../../domain/types.js';
import { parseUtcDate } from '../../domain/provider-dates.js';
import { toBytes, toStringOrNull } from '../../domain/units.js';
import { zonedWallTimeToUtc } from '../../domain/zoned-wall-time.js';
import { idText, idTextOrNull, UnreadableNativeId } from '../native-id.js';
import type { RowsLeftOutByVm } from '../rows-left-out-by-vm.js';
import { NO_VM, vmIdOrNoVm, type RowsOfNoVm } from '../rows-of-no-vm.js';
import { withPublicRaw } from '../raw.js';
import { ZSTACK_RAW_HIDDEN } from './secrets.js';
import { NO_VM_VOLUMES, type VmVolumes } from './vm-volumes.js';

type Row = Record<string, unknown>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The same few timestamps recur on every volume of a group and every listing: parse each once. */
const parsedDates = new Map<string, Date | null>();
const MAX_PARSED = 50_000;

/**
 * ZStack's dates carry no zone: they are read in the account's timezone, as
 * strictly as `parseUtcDate` (Nov 31 or 1969 is no date). ZStack writes them
 * with Gson's default date format (JSONObjectUtil sets none; RestServer
 * answers through it), which is the JVM's US medium date-time and changes
 * with the JDK (google/gson#1210, #2689): "Nov 14, 2017 10:20:57 PM" on
 * Java 8 (the API docs' example), "Nov 14, 2017, 10:20:57 PM" on Java 9+,
 * and a narrow no-break space (U+202F) before PM from JDK 20 (CLDR 42).
 * ZStack's own Go SDK (zstack-sdk-go-v2 ZStackTime) also reads a 24-hour
 * "Nov 14, 2017 22:20:57". All are read; anything else falls to `parseUtcDate`.
 */
export function parseZstackDate(value: unknown, timezone: string): Date | null {
  if (typeof value !== 'string') return null;
  const key = `${timezone}|${value}`;
  if (parsedDates.has(key)) return parsedDates.get(key) ?? null;
  const parsed = parseZstackDateUncached(value, timezone);
  if (parsedDates.size >= MAX_PARSED) parsedDates.clear();
  parsedDates.set(key, parsed);
  return parsed;
}

/** Month day, year[,] hour:minute:second[ AM|PM]; the space before AM/PM may be U+202F or U+00A0. */
const ZSTACK_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?:[ \u202f\u00a0](AM|PM))?$/;

function parseZstackDateUncached(value: string, timezone: string): Date | null {
  const match = ZSTACK_DATE.exec(value.trim());
  if (!match) return parseUtcDate(value);
  // An unknown month name gives month 0, which the wall-time reader refuses.
  const month = MONTHS.indexOf(match[1] as string) + 1;
  const clockHour = Number(match[4]);
  const meridiem = match[7];
  let hour: number;
  if (meridiem === undefined) {
    // The 24-hour form: 0..23 (24:00 is no time here, not tomorrow).
    if (clockHour > 23) return null;
    hour = clockHour;
  } else {
    // A 12-hour clock reads 12, 1, ..., 11: "0:05 AM" or "13:05 PM" is no time, not another hour.
    if (clockHour < 1 || clockHour > 12) return null;
    hour = (clockHour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  return zonedWallTimeToUtc({ year: Number(match[3]), month, day: Number(match[2]), hour, minute: Number(match[5]), second: Number(match[6]) }, timezone);
}

/**
 * Whether a `vm-instances` row is a VM of a user: ZStack lists its own
 * appliance VMs (virtual routers, `type` ApplianceVm beside the users'
 * UserVm) in the same query, and ZStack's own UI asks for them with
 * `type=ApplianceVm`. Listed as instances they were never backed up, so each
 * counted as UNPROTECTED. A row without `type`, or of another type, is kept.
 */
export const isUserVm = (row: Row): boolean => row.type !== 'ApplianceVm';

export function mapInstance(providerId: string, row: Row): Instance {
  const nativeId = idText(row.uuid, providerId);
  return withPublicRaw({ providerId, nativeId, name: toStringOrNull(row.name) ?? nativeId, state: toStringOrNull(row.state) }, row, ZSTACK_RAW_HIDDEN);
}

const STATUS: Record<string, BackupStatus> = { ready: 'AVAILABLE', creating: 'CREATING', deleting: 'DELETING', restoring: 'RESTORING', error: 'FAILED', failed: 'FAILED' };
/** Own keys only: "constructor" would otherwise find Object's. */
const statusOf = (word: string): BackupStatus => (Object.hasOwn(STATUS, word) ? (STATUS[word] as BackupStatus) : 'UNKNOWN');

const wordOf = (value: unknown): string => (typeof value === 'string' ? value.trim().toLowerCase() : '');

/**
 * A volume backup's status, read with its `state` ("Enabled state of the disk backup", API docs):
 * a Disabled one cannot be used, as any Disabled ZStack resource, and a Deleted one (ZStack's
 * delayed deletion keeps a deleted resource listed until it is expunged) is lost: both are FAILED,
 * the raw record keeping the words. Read by `status` alone, either showed AVAILABLE or UNKNOWN,
 * and a Disabled backup counted toward an instance's protection.
 */
function volumeStatus(volume: Row): BackupStatus {
  if (wordOf(volume.state) === 'disabled' || isDeleted(volume)) return 'FAILED';
  return statusOf(wordOf(volume.status));
}

const isDeleted = (volume: Row): boolean => wordOf(volume.status) === 'deleted';

/** No VM's volumes: rows are then told by their own `vmInstanceUuid` alone. */
const NO_VOLUMES: ReadonlyMap<string, string> = new Map();

/**
 * One VM backup = the volume backups sharing a groupUuid. The root volume's
 * backup names it and dates it; sizes of all volumes add up; the group is
 * only as ready as its least ready volume, and failed if any volume failed.
 */
export function mapBackupGroup(providerId: string, groupUuid: string, volumes: Row[], timezone: string, vmOfRootVolume: ReadonlyMap<string, string> = NO_VOLUMES): Backup {
  return backupOfVolumes(providerId, groupUuid, volumes, timezone, vmOfRootVolume, null);
}

/**
 * `own`: a volume backup outside any VM backup (ownBackup), listed under `own.holder` where
 * known; its `raw.groupUuid` is null. Built here rather than spread from a group's backup: a
 * spread reads `raw`, and copied the row the client may never ask for.
 */
function backupOfVolumes(
  providerId: string,
  groupUuid: string,
  volumes: Row[],
  timezone: string,
  vmOfRootVolume: ReadonlyMap<string, string>,
  own: { holder: string | undefined } | null,
): Backup {
  const root = rootRow(volumes, vmOfRootVolume);
  // Text only: String() of a list nested deep overflowed the stack, and the whole list read failed.
  const statuses = volumes.map(volumeStatus);
  // A failed volume fails the group whatever the others show: a group whose root was still Creating
  // beside a failed data volume read CREATING, and a create judged by it (its job expired) RUNNING.
  const status = statuses.includes('FAILED') ? 'FAILED' : (statuses.find((item) => item !== 'AVAILABLE') ?? 'AVAILABLE');
  // Bytes, each whole, non-negative and safe, and so their sum, or no size (`SafeInt` refuses the rest).
  const sizes = volumes.map((volume) => toBytes(volume.size, 1));
  const total = sizes.reduce<number | null>((sum, size) => (sum === null || size === null ? null : sum + size), 0);
  return withPublicRaw(
    {
      providerId,
      nativeId: groupUuid,
      instanceNativeId: own?.holder ?? idTextOrNull(root.vmInstanceUuid, providerId) ?? vmOfVolumes(volumes, vmOfRootVolume),
      keyExtra: [],
      name: toStringOrNull(root.name) ?? groupUuid,
      status,
      origin: null,
      mode: backupMode(root.mode),
      createdAt: parseZstackDate(root.createDate, timezone),
      // Only Zomro dates a backup by its day alone; written here so every Backup has one shape (domain-record-shapes).
      createdAtLatest: undefined,
      sizeBytes: total !== null && Number.isSafeInteger(total) ? total : null,
      protected: false,
      diskId: null,
      minDiskBytes: null,
      minRamBytes: null,
      osDistro: null,
      osVersion: null,
      region: null,
      note: toStringOrNull(root.description),
      definitionName: null,
    },
    { groupUuid: own ? null : groupUuid, volumes },
    ZSTACK_RAW_HIDDEN,
  );
}

/**
 * A volume backup's `mode`, where ZStack says it: providers.md lists the field (ZStack's SDK
 * inventory), but the API docs' list of a volume backup's fields names none and gives no values.
 * Full and incremental are read in any case (the simulator plays `Full`; no document shows a
 * value). A row without it, or with another word, does not say (the schema's "null where it does
 * not"): it read FULL.
 */
function backupMode(value: unknown): BackupMode | null {
  const word = toStringOrNull(value)?.trim().toLowerCase();
  return word === 'incremental' ? 'INCREMENTAL' : word === 'full' ? 'FULL' : null;
}

const isTypedRoot = (volume: Row): boolean => volume.type === 'Root';

/**
 * The group's root volume's row: the one typed `Root`, else the one backing up a VM's root volume
 * (`rootVolumeUuid` of the VM rows read), else the first. The API docs list `type` ("Disk type")
 * among a volume backup's fields, but CreateVmBackup's example answer carries none, as it carries
 * no `vmInstanceUuid` (read otherwise too: groupBackups): both readings are coded. Taken as the
 * first row alone, a group whose data volume's row sorts first (every query is `sort=+uuid`) was
 * named, described and dated by its data volume (`backup-1-data`), and a create whose job expired,
 * found by its name, was never found.
 *
 * Of two rows typed `Root` (a VM backup holds one root volume, so the node is wrong about one of
 * them), the one backing up a VM's root volume, else the first of them: the row of the volume the
 * VM boots from is the one a user knows the backup by. Taken as the first alone, a data volume's
 * row mistyped Root that sorted first named, dated and described the VM backup.
 */
function rootRow(volumes: Row[], vmOfRootVolume: ReadonlyMap<string, string>): Row {
  const backsUpRootVolume = (volume: Row): boolean => typeof volume.volumeUuid === 'string' && vmOfRootVolume.has(volume.volumeUuid);
  const firstTypedRoot = volumes.find(isTypedRoot);
  if (firstTypedRoot !== undefined) {
    // Nearly every group has one typed Root, which backs up its VM's root volume: no second pass.
    if (backsUpRootVolume(firstTypedRoot)) return firstTypedRoot;
    return volumes.find((volume) => isTypedRoot(volume) && backsUpRootVolume(volume)) ?? firstTypedRoot;
  }
  return volumes.find(backsUpRootVolume) ?? volumes[0] ?? {};
}

/**
 * The VM of a group whose root row names none: the API docs' volume-backup fields do not list
 * `vmInstanceUuid` (a node may leave it out), only `volumeUuid`. The group is the VM's whose root
 * volume one of its rows backs up; a data volume alone names nobody (it may have been moved to
 * another VM since), and a group of no asked VM's root volume goes to nobody, as before.
 */
function vmOfVolumes(volumes: Row[], vmOfRootVolume: ReadonlyMap<string, string>): string | null {
  for (const volume of volumes) {
    const vm = typeof volume.volumeUuid === 'string' ? vmOfRootVolume.get(volume.volumeUuid) : undefined;
    if (vm !== undefined) return vm;
  }
  return null;
}

/**
 * Group volume backups by VM (the rows' `vmInstanceUuid`, else their root volume's VM), then by
 * group. A volume whose group uuid (the backup's own id) the gateway cannot read back is left out,
 * told to `leftOut` by the VM it names (each such group once: its volumes share the uuid): one such
 * row failed the backups of every VM read with it. A group whose VM id cannot be read back (its
 * root row's `vmInstanceUuid`) is left out too, told to `noVm`: it is no VM's a client can name,
 * and it failed every VM's backups. Without the collectors, either fails the read, as before.
 *
 * A VM backup is its VM's for good (the VM its root row names, else whose root volume it backs
 * up: a root volume never moves), and of a VM whose row was read it counts the rows of the
 * volumes that VM has now (`vmOfVolume`): a data volume moved to another VM since the backup is
 * counted in neither. Rows are found by the asked VMs' volumes, so a moved volume's row came back
 * only when its new VM was read in the same request, and the old VM's backup was bigger on a
 * dashboard than read alone. A row with no `groupUuid` is a backup of its own (ownBackup).
 */
export function groupBackups(
  providerId: string,
  rows: Row[],
  timezone: string,
  volumes: VmVolumes = NO_VM_VOLUMES,
  leftOut?: RowsLeftOutByVm,
  noVm?: RowsOfNoVm,
): Map<string, Backup[]> {
  const { vmOfRootVolume } = volumes;
  const byGroup = new Map<string, Row[]>();
  const ungrouped: Row[] = [];
  const unreadableGroups = new Set<unknown>();
  for (const row of rows) {
    let group: string | null;
    try {
      group = idTextOrNull(row.groupUuid, providerId);
    } catch (error) {
      // No `leftOut` to tell: the read fails, as it did before rows were left out.
      if (!(error instanceof UnreadableNativeId) || leftOut === undefined) throw error;
      if (unreadableGroups.has(row.groupUuid)) continue;
      unreadableGroups.add(row.groupUuid);
      const vm = vmIdOrNoVm(row.vmInstanceUuid, providerId, noVm, idTextOrNull) ?? (typeof row.volumeUuid === 'string' ? (vmOfRootVolume.get(row.volumeUuid) ?? null) : null);
      if (vm !== null && vm !== NO_VM) leftOut.add(vm, error.message);
      continue;
    }
    if (group) appendToGroup(byGroup, group, row);
    else ungrouped.push(row);
  }
  const byVm = new Map<string, Backup[]>();
  const add = (backup: Backup | null): void => {
    if (backup?.instanceNativeId) appendToGroup(byVm, backup.instanceNativeId, backup);
  };
  const readable = (map: () => Backup | null): Backup | null => {
    try {
      return map();
    } catch (error) {
      // The one id the mapping reads is its root row's VM (the group's own is read above).
      if (!(error instanceof UnreadableNativeId) || noVm === undefined) throw error;
      noVm.add(error.message);
      return null;
    }
  };
  for (const [group, rowsOfGroup] of byGroup) {
    // Every volume Deleted: the VM backup is deleted, kept listed only until ZStack expunges it.
    if (rowsOfGroup.every(isDeleted)) continue;
    add(readable(() => groupOfItsVm(providerId, group, rowsOfGroup, timezone, volumes)));
  }
  for (const row of ungrouped) {
    if (isDeleted(row)) continue;
    add(readable(() => ownBackup(providerId, row, timezone, volumes)));
  }
  return byVm;
}

/** A group's backup, counting only the rows of the volumes its VM has now where that VM's row was read (and lists them all: vm-volumes.ts). */
function groupOfItsVm(providerId: string, group: string, rows: Row[], timezone: string, volumes: VmVolumes): Backup | null {
  const backup = mapBackupGroup(providerId, group, rows, timezone, volumes.vmOfRootVolume);
  const vm = backup.instanceNativeId;
  if (vm === null || !volumes.wholeVolumes.has(vm)) return backup;
  const isCurrent = (row: Row): boolean => typeof row.volumeUuid === 'string' && volumes.vmOfVolume.get(row.volumeUuid) === vm;
  // Checked before anything is allocated: nearly every group is whole.
  if (rows.every(isCurrent)) return backup;
  const current = rows.filter(isCurrent);
  // None of its VM's volumes left: found through another VM's, it would not be found read alone.
  if (current.length === 0) return null;
  const counted = mapBackupGroup(providerId, group, current, timezone, volumes.vmOfRootVolume);
  return counted.instanceNativeId === vm ? counted : null;
}

/**
 * A volume backup outside any VM backup (no `groupUuid`: ZStack's per-volume backups, and the
 * CreateVmBackup example's data volume): a backup of its own, its id the row's uuid, listed under
 * the VM that has its volume now (the VM whose volumes found it), else the VM it names. Merged by
 * an empty group they were one backup; dropped, a VM backed up only so read UNPROTECTED. The
 * gateway deletes and reverts VM backups (`vm-backups/{groupUuid}`), which do not act on it:
 * `raw.groupUuid` null says so (adapter.ts refuses both before any call).
 */
function ownBackup(providerId: string, row: Row, timezone: string, volumes: VmVolumes): Backup | null {
  const id = idTextOrNull(row.uuid, providerId);
  if (id === null) return null;
  const holder = typeof row.volumeUuid === 'string' ? volumes.vmOfVolume.get(row.volumeUuid) : undefined;
  return backupOfVolumes(providerId, id, [row], timezone, volumes.vmOfRootVolume, { holder });
}

/** Whether a backup is one volume's, outside any VM backup (ownBackup): no VM-backup call acts on it. */
export const isVolumeOnlyBackup = (backup: Pick<Backup, 'raw'>): boolean => backup.raw.groupUuid === null;


/** Splits uuids into `?=` lists whose query string stays under `maxLength`. */
export function chunkForUrl(values: readonly string[], maxLength: number, overhead: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = overhead;
  for (const value of values) {
    const added = encodeURIComponent(value).length + 3;
    if (current.length > 0 && length + added > maxLength) {
      chunks.push(current);
      current = [];
      length = overhead;
    }
    current.push(value);
    length += added;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
