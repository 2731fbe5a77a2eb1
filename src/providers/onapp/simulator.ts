import { EventEmitter } from 'node:events';
import { SAMPLE_NAMES, SeededRandom, type SimulatorSeedOptions } from '../../simulator/random.js';
import { RequestHold } from '../../simulator/request-hold.js';
import { ProviderSimulator, type SimRequest, type SimResponse, type SimulatorServerOptions } from '../../simulator/server.js';

/** The sixth instance's newest backup is an hour old, so the demo has PROTECTED instances (the other seeded dates are years old). */
const recent = (): Date => new Date(Date.now() - 60 * 60 * 1000);

export const ONAPP_SIM_USER = 'sim-ops@example.com';
export const ONAPP_SIM_API_KEY = 'sim-onapp-api-key-91c4e2';

export interface SimVm {
  id: number;
  label: string;
  hostname: string;
  booted: boolean;
  locked: boolean;
  disks: SimDisk[];
}

interface SimDisk {
  id: number;
  primary: boolean;
  is_swap: boolean;
  disk_size: number;
  /**
   * OnApp's `has_autobackups` (its PHP wrapper and panels read it; switched by
   * `POST /settings/disks/{id}/autobackup_enable.json` and `_disable.json`).
   * Off, the disk's schedules stay but take nothing: "If you enable the
   * auto-backups for a target with assigned schedule - this schedule will
   * remain unchanged" (OnApp's Manage Auto-Backups page).
   */
  has_autobackups: boolean;
}

interface SimBackup {
  id: number;
  vmId: number;
  diskId: number;
  backup_size: number;
  backup_type: 'normal' | 'incremental';
  initiated: string | number;
  note: string | null;
  created_at: string;
  builtAt: number;
  marked_for_delete: boolean;
  distro: string;
}

interface SimSchedule {
  id: number;
  diskId: number;
  duration: number;
  period: string;
  rotation_period: number;
  start_at: string;
  created_at: string;
  /** OnApp's `status`: "enabled" (its default) or "disabled" (the schedule runs nothing). */
  status?: string;
}

/**
 * A schedule of a VM itself (a VM-level schedule, where a cloud of incremental backups keeps them).
 * OnApp keeps both kinds in one `schedules` resource: one id space (the simulator's `nextId`), one
 * `GET`/`DELETE /settings/schedules/:id.json` (see legacyScheduleRoutes), the same fields but
 * `target_type` and `target_id`.
 */
type SimVmSchedule = Omit<SimSchedule, 'diskId'> & { vmId: number };

export interface SimTransaction {
  id: number;
  vmId: number;
  action: string;
  associated_object_id: number;
  /** What `associated_object_id` names (a restore's backup, or its VM); left out of the other transactions a test adds. */
  associated_object_type?: 'Backup' | 'VirtualMachine';
  created_at: string;
  doneAt: number;
  /** Listed in the VM's transactions (OnApp may list a queued one a moment after the request). */
  listed: boolean;
  /** Ends `failed` rather than `complete` (a test plays a restore that failed). */
  fails?: boolean;
}

const PERIODS = new Set(['days', 'weeks', 'months', 'years']);

/** An in-memory OnApp control panel: JSON endpoints, basic auth, records wrapped by type. */
export class OnappSimulator extends ProviderSimulator {
  /** False plays an OnApp (or a user's permission set) where the account-wide disk list answers 404. */
  accountDiskList = true;
  /** True plays a cloud whose backups are incremental: a create makes a backup of the whole VM, not of the disk. */
  incrementalBackups = false;
  /**
   * `GET /virtual_machines/{id}/backups.json` answers the backups of every VM:
   * a panel that ignores the VM in the path. Not OnApp's documented behaviour;
   * it tests what the gateway makes of it.
   */
  ignoresVmFilter = false;
  /**
   * False plays an OnApp whose schedule create answers 201 with an empty body, the schedule made all
   * the same (a fault knob for tests: whether OnApp's answer carries the new record is not documented).
   */
  scheduleCreateAnswersRecord = true;
  /**
   * `GET /virtual_machines/{id}/schedules.json`, the VM-level schedules OnApp's PHP wrapper lists
   * (`Schedule/VirtualMachine.php`): answered in the disk schedules' record shape, `{"schedule": {...}}`
   * with `target_type` "VirtualMachine" and `target_id` the VM's id, as the wrapper maps both alike
   * (assumed: OnApp publishes no sample of one). False plays an older panel without the route (404).
   */
  vmScheduleList = true;
  /**
   * A schedule by its id (`GET`/`DELETE`): at `/settings/schedules/:id.json`, as OnApp's PHP wrapper
   * has it from API 4.2 on (`Schedule.php`); true plays an OnApp older than that, whose wrapper
   * (`Disk/Schedule.php`, 2.0 to 4.1) has it at `/schedules/:id.json`, the newer path 404.
   */
  legacyScheduleRoutes = false;
  /**
   * How `backup_type` is spelt on the wire. OnApp's backups/images document: "backup_type – normal
   * or incremental", both its samples (JSON and XML) lower-case; null sends those words. A panel
   * showing them capitalised (as OnApp's UI does) or padded is played by a map.
   */
  backupTypeWords: { normal: string; incremental: string } | null = null;
  /** What a backup taken on request reads in `initiated`: OnApp's docs show "manual"; a panel may spell it otherwise. */
  manualInitiated: string | number = 'manual';
  /**
   * Request labels (`GET /virtual_machines/:id/backups.json`) the simulated user's role does not
   * permit: 403 in OnApp's `{"errors": [...]}` shape, the key accepted (a refused key is its 401).
   * The words are assumed: OnApp publishes no sample of a refused permission.
   */
  readonly refusedActions = new Set<string>();
  readonly vms = new Map<number, SimVm>();
  readonly backups = new Map<number, SimBackup>();
  readonly schedules = new Map<number, SimSchedule>();
  /** VM-level schedules (see vmScheduleList), apart from the disks' so a disk schedule always names its disk. */
  readonly vmSchedules = new Map<number, SimVmSchedule>();
  readonly transactions: SimTransaction[] = [];
  /** While true, a restore's transaction is kept out of the VM's list until `listHeldTransactions()`. */
  holdRestoreListing = false;
  /**
   * A VM's transactions are listed newest first, this many a page (`page`, from 1): OnApp's
   * Transactions page has `GET /transactions.json` "return the last 10 transactions" and
   * `/page/2` "the next 10".
   */
  transactionPageSize = 10;
  /**
   * What a restore's transaction names as its associated object: the backup, or the VM (as the
   * docs' VS transaction example associates its VirtualMachine; `parent_type` is documented as
   * "virtual server, disk or hypervisor", never a backup). Which one OnApp names is not documented.
   */
  restoreAssociates: 'backup' | 'vm' = 'backup';
  /**
   * True plays an OnApp that locks a VM while a restore of it is not done: the VM (and its
   * backups) listed `locked`, and a create or another restore of it refused (422, as a VM locked
   * for good is). OnApp's documents do not say whether it does: `locked` is a VM field, its
   * meaning during a restore is not given. False (the default) queues both, the VM unlocked.
   */
  restoreLocksVm = false;
  /**
   * True plays an OnApp that locks a VM while a backup of it is being taken (listed unbuilt),
   * as restoreLocksVm does while a restore runs; not documented either way. False (the default)
   * leaves it unlocked.
   */
  backupLocksVm = false;
  /**
   * True plays an OnApp that refuses a backup's delete while its VM is locked (422, the create's
   * shape). Not documented either way (`locked` is the VM's state, not the backup's): false (the
   * default) deletes it.
   */
  lockedRefusesDelete = false;
  /**
   * True plays an OnApp that refuses reads of a locked VM's backups and disks (422, the create's
   * shape). OnApp's documents say only that the list is returned ("An array of backups is
   * returned. If there are no backups, an empty array is returned."), lock or not: false (the
   * default) lists them, the VM and its backups reading `locked`.
   */
  lockedRefusesReads = false;
  /**
   * The `status` words a transaction reads while at work, once done, and once failed. OnApp's
   * words are not documented (providers.md: "Transaction status values: [NF]"); a test plays a
   * panel that spells them otherwise (`Complete`, `canceled`) or has words of its own.
   */
  transactionWords: { running: string; complete: string; failed: string } = { running: 'running', complete: 'complete', failed: 'failed' };
  /** Emits `restore` (the backup's id, its transaction) each time a restore makes a transaction. */
  readonly restoreEvents = new EventEmitter();
  /** Restore POSTs of these backups wait for their hold's release (see holdRestoresOf). */
  private readonly restoreHolds = new Map<number, RequestHold>();
  /**
   * VMs the VM list names a second time, at its end, with these changes: what
   * a list read while it changes gives (a record that moved to a later page,
   * renamed or rebooted in between). Not in OnApp's documents: for the
   * gateway's handling of a list that repeats a record.
   */
  readonly listedAgain = new Map<number, Partial<SimVm>>();
  private nextId = 7_000;

  constructor(options: SimulatorServerOptions & SimulatorSeedOptions = {}) {
    super('onapp', options);
  }

  /** VM 1 has no backups; one backup is incremental, one still building. No VM is locked (a locked VM refuses backups). */
  seed({ instances = 6, backupsPerInstance = 4, seed = 11 }: SimulatorSeedOptions): void {
    const random = new SeededRandom(seed);
    for (let index = 0; index < instances; index++) {
      const id = 480 + index;
      const primary = 11_800 + index * 2;
      this.vms.set(id, {
        id,
        label: `${SAMPLE_NAMES[(index + 3) % SAMPLE_NAMES.length]}-${index + 1}.flex.example`,
        hostname: `flex-${index + 1}`,
        booted: index % 4 !== 3,
        locked: false,
        disks: [
          // Auto-backups on (the first VM's disk has no schedule: one deleted after they were switched on).
          { id: primary, primary: true, is_swap: false, disk_size: 20, has_autobackups: true },
          { id: primary + 1, primary: false, is_swap: true, disk_size: 1, has_autobackups: false },
        ],
      });
      const count = index === 0 ? 0 : backupsPerInstance;
      for (let n = 0; n < count; n++) {
        const backupId = this.nextId++;
        this.backups.set(backupId, {
          id: backupId,
          vmId: id,
          diskId: primary,
          backup_size: random.int(200_000, 4_000_000),
          backup_type: index === 2 && n === 1 ? 'incremental' : 'normal',
          initiated: n % 2 === 0 ? 'manual' : 'days',
          note: n === 0 ? 'before upgrade' : null,
          created_at: index === 5 && n === count - 1 ? recent().toISOString() : `2015-08-${String(10 + n).padStart(2, '0')}T01:59:20+03:00`,
          builtAt: index === 3 && n === 0 ? Number.MAX_SAFE_INTEGER : 0,
          marked_for_delete: false,
          distro: random.pick(['rhel', 'ubuntu', 'debian']),
        });
      }
      if (index >= 1) {
        const scheduleId = this.nextId++;
        this.schedules.set(scheduleId, { id: scheduleId, diskId: primary, duration: 1, period: index % 2 ? 'days' : 'weeks', rotation_period: 7, start_at: '2024-01-01T03:30:00Z', created_at: '2024-01-01T00:00:00Z' });
      }
    }
  }

  /** A 422 in OnApp's `{"errors": {field: [msgs]}}` shape quoting the Basic header and what it decodes to. */
  protected echo(request: SimRequest): SimResponse {
    const header = String(request.headers.authorization ?? '');
    const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
    return { status: 422, json: { errors: { base: [`Authorization "${header}" (${decoded}) is not permitted to do this`] } } };
  }

  private authorised(request: SimRequest): boolean {
    const header = String(request.headers.authorization ?? '');
    return header === `Basic ${Buffer.from(`${ONAPP_SIM_USER}:${ONAPP_SIM_API_KEY}`).toString('base64')}`;
  }

  protected handle(request: SimRequest): SimResponse | Promise<SimResponse> {
    const { method, segments } = request;
    const path = segments.join('/');
    request.label = `${method} /${path.replace(/\d+/g, ':id')}`;
    if (!this.authorised(request)) return { status: 401, json: { error: 'You need to sign in or sign up before continuing.' } };
    if (this.refusedActions.has(request.label)) return { status: 403, json: { errors: ['You do not have permissions for this action'] } };
    let match: RegExpExecArray | null;
    if (method === 'GET' && path === 'virtual_machines.json') return ok(this.listedVms().map((vm) => wrapRecord('virtual_machine', this.wireVm(vm))));
    if (method === 'GET' && path === 'settings/disks.json' && this.accountDiskList) {
      return ok([...this.vms.values()].flatMap((vm) => vm.disks.map((disk) => wrapRecord('disk', { ...disk, label: `disk-${disk.id}`, virtual_machine_id: vm.id }))));
    }
    if ((match = /^virtual_machines\/(\d+)\/(backups\.json|backups\/images\.json|disks\.json|transactions\.json)$/.exec(path)) && method === 'GET') {
      const vm = this.vms.get(Number(match[1]));
      if (!vm) return notFoundAnswer();
      if (this.lockedRefusesReads && match[2] !== 'transactions.json' && this.isLocked(vm.id)) return lockedAnswer();
      if (match[2] === 'disks.json') return ok(vm.disks.map((disk) => wrapRecord('disk', { ...disk, label: `disk-${disk.id}` })));
      if (match[2] === 'transactions.json') return ok(this.transactionPage(vm.id, request.query.get('page')));
      return ok([...this.backups.values()].filter((backup) => this.ignoresVmFilter || backup.vmId === vm.id).map((backup) => wrapRecord('backup', this.wireBackup(backup))));
    }
    if ((match = /^virtual_machines\/(\d+)\/schedules\.json$/.exec(path)) && method === 'GET' && this.vmScheduleList) {
      const vmId = Number(match[1]);
      if (!this.vms.has(vmId)) return notFoundAnswer();
      return ok([...this.vmSchedules.values()].filter((item) => item.vmId === vmId).map((item) => wrapRecord('schedule', wireSchedule(item))));
    }
    if ((match = /^settings\/disks\/(\d+)\/autobackup_(enable|disable)\.json$/.exec(path)) && method === 'POST') return this.switchAutobackups(Number(match[1]), match[2] === 'enable');
    if ((match = /^settings\/disks\/(\d+)\/(backups|schedules)\.json$/.exec(path))) {
      const diskId = Number(match[1]);
      const vm = [...this.vms.values()].find((item) => item.disks.some((disk) => disk.id === diskId));
      if (!vm) return notFoundAnswer();
      if (match[2] === 'backups' && method === 'POST') return this.createBackup(vm, diskId);
      if (match[2] === 'backups' && method === 'GET') return ok([...this.backups.values()].filter((backup) => backup.diskId === diskId).map((backup) => wrapRecord('backup', this.wireBackup(backup))));
      if (match[2] === 'schedules' && method === 'GET') return ok([...this.schedules.values()].filter((item) => item.diskId === diskId).map((item) => wrapRecord('schedule', wireSchedule(item))));
      if (match[2] === 'schedules' && method === 'POST') return this.createSchedule(diskId, request);
    }
    if ((match = /^(settings\/)?schedules\/(\d+)\.json$/.exec(path)) && (match[1] === undefined) === this.legacyScheduleRoutes) {
      const schedule = this.schedules.get(Number(match[2])) ?? this.vmSchedules.get(Number(match[2]));
      if (!schedule) return notFoundAnswer();
      if (method === 'GET') return ok(wrapRecord('schedule', wireSchedule(schedule)));
      if (method === 'DELETE') {
        this.schedules.delete(schedule.id);
        this.vmSchedules.delete(schedule.id);
        return { status: 204, text: '' };
      }
    }
    if ((match = /^backups\/(\d+)(\.json|\/restore\.json)$/.exec(path))) {
      const backup = this.backups.get(Number(match[1]));
      if (!backup) return notFoundAnswer();
      if (match[2] === '.json' && method === 'GET') return ok(wrapRecord('backup', this.wireBackup(backup)));
      if (match[2] === '.json' && method === 'DELETE') {
        // OnApp documents no delete protection: `locked` is the VM's state, not the backup's.
        if (this.lockedRefusesDelete && this.isLocked(backup.vmId)) return lockedAnswer();
        this.backups.delete(backup.id);
        return { status: 204, text: '' };
      }
      if (match[2] === '/restore.json' && method === 'POST') {
        const hold = this.restoreHolds.get(backup.id);
        return hold ? hold.pass().then(() => this.restoreUnlessLocked(backup)) : this.restoreUnlessLocked(backup);
      }
    }
    return notFoundAnswer();
  }

  /**
   * `POST /settings/disks/{disk_id}/backups.json`, documented "(no body)" and
   * answered without the new record: a body sent is ignored, the answer is
   * an empty 201 and the backup shows up in the lists.
   */
  private createBackup(vm: SimVm, diskId: number): SimResponse {
    if (this.isLocked(vm.id)) return lockedAnswer();
    if (vm.disks.find((disk) => disk.id === diskId)?.is_swap) return { status: 422, json: { errors: { disk: ['swap disks cannot be backed up'] } } };
    const id = this.nextId++;
    const backup: SimBackup = {
      id,
      vmId: vm.id,
      diskId,
      backup_size: writtenSizeKib(vm, diskId),
      backup_type: this.incrementalBackups ? 'incremental' : 'normal',
      initiated: this.manualInitiated,
      note: null,
      created_at: new Date().toISOString(),
      builtAt: Date.now() + this.asyncDelayMs,
      marked_for_delete: false,
      distro: 'ubuntu',
    };
    this.backups.set(id, backup);
    return { status: 201, text: '' };
  }

  /** A schedule of the VM itself (see vmScheduleList), daily from `start_at` unless `fields` say otherwise: its id. */
  addVmSchedule(vmId: number, fields: Partial<Omit<SimVmSchedule, 'id' | 'vmId'>> = {}): number {
    const id = this.nextId++;
    const now = new Date().toISOString();
    this.vmSchedules.set(id, { id, vmId, duration: 1, period: 'days', rotation_period: 7, start_at: now, created_at: now, ...fields });
    return id;
  }

  /**
   * A backup OnApp's own schedule takes of `diskId` now, as a test plays it:
   * `initiated` is the schedule's period ("days" with none), not "manual".
   */
  takeScheduledBackup(diskId: number): number {
    const vm = [...this.vms.values()].find((candidate) => candidate.disks.some((disk) => disk.id === diskId));
    if (!vm) throw new Error(`no VM has disk ${diskId}`);
    const schedule = [...this.schedules.values()].find((candidate) => candidate.diskId === diskId);
    const id = this.nextId++;
    this.backups.set(id, {
      id,
      vmId: vm.id,
      diskId,
      backup_size: writtenSizeKib(vm, diskId),
      backup_type: this.incrementalBackups ? 'incremental' : 'normal',
      initiated: schedule?.period ?? 'days',
      note: null,
      created_at: new Date().toISOString(),
      builtAt: Date.now() + this.asyncDelayMs,
      marked_for_delete: false,
      distro: 'ubuntu',
    });
    return id;
  }

  /**
   * Restore POSTs of `backupId` (until `release()`) wait at the simulator, as one slow to reach
   * OnApp: a test lets another restore's POST reach OnApp first.
   */
  holdRestoresOf(backupId: number): RequestHold {
    const hold = new RequestHold();
    this.restoreHolds.set(backupId, hold);
    return hold;
  }

  private restoreUnlessLocked(backup: SimBackup): SimResponse {
    // A locked VM is busy with a transaction: this endpoint answers OnApp's single `{"error": ...}` shape.
    if (this.isLocked(backup.vmId)) return { status: 422, json: { error: 'Virtual server is locked' } };
    return this.restore(backup);
  }

  private restore(backup: SimBackup): SimResponse {
    if (Date.now() < backup.builtAt) return { status: 422, json: { errors: ['Backup is not built yet'] } };
    const associated = this.restoreAssociates === 'vm' ? { associated_object_id: backup.vmId, associated_object_type: 'VirtualMachine' as const } : { associated_object_id: backup.id, associated_object_type: 'Backup' as const };
    const transaction: SimTransaction = { id: this.nextId++, vmId: backup.vmId, action: 'restore_backup', ...associated, created_at: new Date().toISOString(), doneAt: Date.now() + this.asyncDelayMs, listed: !this.holdRestoreListing };
    this.transactions.push(transaction);
    this.restoreEvents.emit('restore', backup.id, transaction);
    return { status: 201, json: wrapRecord('backup', this.wireBackup(backup)) };
  }

  /**
   * `POST /settings/disks/{id}/autobackup_enable.json` / `_disable.json`, answered with the disk
   * (OnApp's PHP wrapper and squall read `disk` from it). Enabling a disk with no schedule applies
   * the auto-backup preset (daily here, 7 kept); one with a schedule keeps it unchanged.
   */
  private switchAutobackups(diskId: number, on: boolean): SimResponse {
    const vm = [...this.vms.values()].find((item) => item.disks.some((disk) => disk.id === diskId));
    const disk = vm?.disks.find((item) => item.id === diskId);
    if (!vm || !disk) return notFoundAnswer();
    if (disk.is_swap) return { status: 422, json: { errors: { base: ['Autobackups cannot be enabled for a swap disk'] } } };
    disk.has_autobackups = on;
    if (on && ![...this.schedules.values()].some((schedule) => schedule.diskId === diskId)) {
      const id = this.nextId++;
      const now = new Date().toISOString();
      this.schedules.set(id, { id, diskId, duration: 1, period: 'days', rotation_period: 7, start_at: now, created_at: now });
    }
    return ok(wrapRecord('disk', { ...disk, label: `disk-${disk.id}`, virtual_machine_id: vm.id }));
  }

  private createSchedule(diskId: number, request: SimRequest): SimResponse {
    const schedule = (request.json as { schedule?: Record<string, unknown> } | undefined)?.schedule ?? {};
    if (schedule.action !== 'autobackup') return { status: 422, json: { errors: ['Action is not included in the list'] } };
    if (typeof schedule.period !== 'string' || !PERIODS.has(schedule.period)) return { status: 422, json: { errors: ['Period is not included in the list'] } };
    if (schedule.duration !== undefined && !(Number.isInteger(Number(schedule.duration)) && Number(schedule.duration) > 0)) {
      return { status: 422, json: { errors: { duration: ['must be greater than 0'] } } };
    }
    const id = this.nextId++;
    // Documented parameters: action, duration, period, rotation_period. No start
    // time: the schedule counts from its creation, whatever else is sent.
    const created: SimSchedule = {
      id,
      diskId,
      duration: Number(schedule.duration) || 1,
      period: schedule.period,
      rotation_period: Number(schedule.rotation_period) || 7,
      start_at: new Date().toISOString(),
      created_at: new Date().toISOString(),
    };
    this.schedules.set(id, created);
    return this.scheduleCreateAnswersRecord ? { status: 201, json: wrapRecord('schedule', wireSchedule(created)) } : { status: 201, text: '' };
  }

  private listedVms(): SimVm[] {
    const vms = [...this.vms.values()];
    const again = [...this.listedAgain].flatMap(([id, changes]) => {
      const vm = this.vms.get(id);
      return vm ? [{ ...vm, ...changes }] : [];
    });
    return [...vms, ...again];
  }

  private wireVm(vm: SimVm): Record<string, unknown> {
    return { id: vm.id, identifier: `vm${vm.id}x`, label: vm.label, hostname: vm.hostname, booted: vm.booted, built: true, locked: vm.locked || this.heldByTransaction(vm.id), operating_system: 'linux' };
  }

  /** The VM's `locked`: set by a test, or held by a transaction of it (see restoreLocksVm, backupLocksVm). */
  private isLocked(vmId: number): boolean {
    return (this.vms.get(vmId)?.locked ?? false) || this.heldByTransaction(vmId);
  }

  private heldByTransaction(vmId: number): boolean {
    const now = Date.now();
    return (this.restoreLocksVm && this.restoring(vmId)) || (this.backupLocksVm && [...this.backups.values()].some((backup) => backup.vmId === vmId && now < backup.builtAt));
  }

  private wireBackup(backup: SimBackup): Record<string, unknown> {
    const built = Date.now() >= backup.builtAt;
    // "target_type - target for which the backup was taken; For normal backups it is a disk. For
    // incremental backups it's virtual server." (OnApp backups/images docs; its sample: an incremental
    // backup with "target_type": "VirtualMachine", "target_id" the VM's, "disk_id": null).
    const incremental = backup.backup_type === 'incremental';
    return {
      id: backup.id,
      backup_size: built ? backup.backup_size : 0,
      backup_type: this.backupTypeWords?.[backup.backup_type] ?? backup.backup_type,
      built,
      built_at: built ? backup.created_at : null,
      created_at: backup.created_at,
      updated_at: backup.created_at,
      data_store_type: 'lvm',
      // "identifier - disk identifier": the disk's, the same for each of its backups. For an incremental
      // backup (of the whole VM) the docs do not say whose: the gateway reads nothing from it (new-backup.ts).
      identifier: `dk${backup.diskId}q`,
      initiated: backup.initiated,
      // "true if the storage server backed up has been locked": the VM's lock.
      locked: this.isLocked(backup.vmId),
      marked_for_delete: backup.marked_for_delete,
      min_disk_size: 5,
      min_memory_size: 384,
      note: backup.note,
      operating_system: 'linux',
      operating_system_distro: backup.distro,
      target_id: incremental ? backup.vmId : backup.diskId,
      target_type: incremental ? 'VirtualMachine' : 'Disk',
      disk_id: incremental ? null : backup.diskId,
      backup_server_id: 1,
      // The rest of the docs' JSON sample, which the simulator left out: flags of the storage server
      // backed up (the sample spells `allow_resize_without_reboot`, its field list
      // `allowed_resize_without_reboot`: the sample's JSON is sent), the template and user it is of,
      // and `iqn` and `volume_id`, null as in the sample (an LVM data store).
      allow_resize_without_reboot: true,
      allowed_hot_migrate: true,
      allowed_swap: true,
      iqn: null,
      template_id: 128,
      user_id: 337,
      volume_id: null,
    };
  }

  /** Every backup still being built is built now: a test holds builds with a long asyncDelayMs and ends them between two reads of its choosing. */
  finishBuilds(): void {
    const now = Date.now();
    for (const backup of this.backups.values()) if (backup.builtAt !== Number.MAX_SAFE_INTEGER) backup.builtAt = Math.min(backup.builtAt, now);
  }

  /** Transactions of `action` on the VM, done at once: what a busy VM lists after a restore (reboots, other backups). */
  addTransactions(vmId: number, action: string, count: number): void {
    for (let n = 0; n < count; n += 1) {
      this.transactions.push({ id: this.nextId++, vmId, action, associated_object_id: vmId, created_at: new Date().toISOString(), doneAt: 0, listed: true });
    }
  }

  private transactionPage(vmId: number, pageText: string | null): unknown[] {
    const page = Math.max(1, Math.trunc(Number(pageText ?? 1)) || 1);
    const listed = this.transactions.filter((item) => item.vmId === vmId && item.listed).reverse();
    return listed.slice((page - 1) * this.transactionPageSize, page * this.transactionPageSize).map((item) => wrapRecord('transaction', this.wireTransaction(item)));
  }

  /** Whether a restore of the VM is not done yet (listed or not). */
  private restoring(vmId: number): boolean {
    return this.transactions.some((item) => item.vmId === vmId && item.action === 'restore_backup' && Date.now() < item.doneAt);
  }

  listHeldTransactions(): void {
    for (const item of this.transactions) item.listed = true;
  }

  private wireTransaction(item: SimTransaction): Record<string, unknown> {
    return { id: item.id, action: item.action, status: Date.now() < item.doneAt ? this.transactionWords.running : item.fails ? this.transactionWords.failed : this.transactionWords.complete, parent_type: 'VirtualMachine', parent_id: item.vmId, associated_object_type: item.associated_object_type, associated_object_id: item.associated_object_id, created_at: item.created_at };
  }
}

const wrapRecord = (type: string, record: Record<string, unknown>) => ({ [type]: record });
const ok = (json: unknown): SimResponse => ({ status: 200, json });
const notFoundAnswer = (): SimResponse => ({ status: 404, json: { errors: ['Resource not found'] } });
/** A locked VM's refusal in OnApp's `{"errors": {"base": [...]}}` shape (a create's, a delete's). */
const lockedAnswer = (): SimResponse => ({ status: 422, json: { errors: { base: ['Virtual server is locked'] } } });
const wireSchedule = (item: SimSchedule | SimVmSchedule): Record<string, unknown> => ({ id: item.id, action: 'autobackup', duration: item.duration, period: item.period, rotation_period: item.rotation_period, ...('vmId' in item ? { target_id: item.vmId, target_type: 'VirtualMachine' } : { target_id: item.diskId, target_type: 'Disk' }), start_at: item.start_at, created_at: item.created_at, status: item.status ?? 'enabled' });

/**
 * The size a new backup is listed with once built (`backup_size`, KiB; 0 while unbuilt: wireBackup): a
 * third of its disk's `disk_size` (GB), as a backup holds the disk's used blocks. Every new backup read
 * `sizeBytes: 0` once AVAILABLE, which no OnApp answers for a built backup.
 */
function writtenSizeKib(vm: SimVm, diskId: number): number {
  const gigabytes = vm.disks.find((disk) => disk.id === diskId)?.disk_size ?? 1;
  return Math.max(1, Math.round((gigabytes * 1_048_576) / 3));
}
