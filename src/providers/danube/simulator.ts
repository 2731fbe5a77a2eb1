import { randomUUID } from 'node:crypto';
import { SeededRandom, type SimulatorSeedOptions } from '../../simulator/random.js';
import { ProviderSimulator, type SimRequest, type SimResponse, type SimulatorServerOptions } from '../../simulator/server.js';
import { appendSlashRedirect, isSimulatedRoute, resourceNotFound } from './sim-routes.js';

/** The sixth instance's newest backup is an hour old, so the demo has PROTECTED instances (the other seeded dates are years old). */
const recent = (): Date => new Date(Date.now() - 60 * 60 * 1000);

export const DANUBE_SIM_API_KEY = 'sim-danube-api-key-4e8a0c';
export const DANUBE_SIM_USER = 'sim-admin';
export const DANUBE_SIM_PASSWORD = 'sim-danube-password-2f7d';

type Row = Record<string, unknown>;

interface Task {
  /** The VM the task works on (esdc-ce's task belongs to its VM): while it runs, the VM "has pending tasks". */
  vmUuid: string | null;
  doneAt: number;
  fail: string | null;
  revoked: boolean;
  result: Row;
  onDone: () => void;
  done: boolean;
}

/**
 * What a path's VM segment may hold: esdc-ce's URL patterns take `[A-Za-z0-9\._-]+`, capitals too
 * (its VmDefineSerializer's hostname pattern allows them). Lower case alone here, a VM listed with
 * capitals could not be asked for by its own hostname.
 */
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const DEFINITION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,7}$/;

/**
 * esdc-ce's BackupDefineSerializer: `zpool = CharField(max_length=64)`, `desc = SafeCharField(max_length=128)`.
 * Its fields are its own copy of DRF 2's (api/fields.py), whose CharField hands the value on as sent:
 * no trim (DRF 3's `trim_whitespace`, on by default there, is not in that copy), so Django's
 * MaxLengthValidator counts leading and trailing whitespace, in code points. Read from esdc-ce's
 * source, not tried against a live esdc-ce.
 */
const DEFINITION_FIELD_LIMITS: Readonly<Record<string, number>> = { zpool: 64, desc: 128 };

/** The refusals esdc-ce's serializer gives `fields` of `data` over their limits, in its words. */
function overLongDefinitionFields(data: Row, fields: readonly string[]): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const field of fields) {
    const value = data[field];
    const limit = DEFINITION_FIELD_LIMITS[field] as number;
    const length = typeof value === 'string' ? [...value].length : 0;
    if (length > limit) errors[field] = [`Ensure this value has at most ${limit} characters (it has ${length}).`];
  }
  return errors;
}
const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);

/** An in-memory Danube Cloud API: envelopes, tokens, definitions, per-VM backups and tasks. */
export class DanubeSimulator extends ProviderSimulator {
  readonly vms: Row[] = [];
  readonly definitions: Row[] = [];
  readonly backups: Row[] = [];
  readonly tasks = new Map<string, Task>();
  logins = 0;
  /** The password the user logs in with: a test changes it as an admin does in Danube's GUI, and back. */
  accountPassword = DANUBE_SIM_PASSWORD;
  private token: string | null = null;
  /** Every token a login handed out, alive or not: a test looks for any of them in answers and logs. */
  readonly issuedTokens = new Set<string>();
  /** Calls refused for their token (a 403 the gateway renews on): a gateway that renews ahead of the end sends none. */
  tokensRefused = 0;
  /** The token whose hour ran out (expireToken): Danube no longer takes it, and says so in its own words. */
  private expiredToken: string | null = null;
  /** Snapshots per VM disk (`hostname:disk_id`): none unless a test makes some. A restore without force refuses a disk that has them. */
  readonly snapshots = new Map<string, number>();
  /**
   * A finished create's `result.detail`: the API docs' example form
   * ("name=daily-20131014_133701, disk_id=1") unless a test plays esdc-ce's
   * own ("hostname='...', bkpname='...', disk_id=1, fsfreeze=false"), or a
   * current esdc-ce's, which names no backup (ESDC_CE_CREATE_DETAIL).
   */
  createDetail = (_hostname: string, name: string, diskId: number): string => `name=${name}, disk_id=${diskId}`;
  /**
   * The installation's LANGUAGE_CODE. esdc-ce runs Django's LocaleMiddleware, which answers in
   * the language `Accept-Language` asks for among those offered (English always is), else in
   * this one. esdc-ce ships English alone; an installation may add one (its settings list
   * Slovak, commented out as beta).
   */
  defaultLanguage: 'en' | 'sk' = 'en';
  /**
   * `GET /vm/{h}/backup` answers the backups of every VM, each row naming its
   * own VM (`vm`, `vm_uuid`): a provider that ignores the per-VM filter. Not Danube's
   * documented behaviour; it tests what the gateway makes of such a list.
   */
  ignoresVmFilter = false;
  /**
   * How backup rows carry `vm`: esdc-ce's BackupSerializer sends the VM's hostname now
   * ('hostname'); the API docs' example row has none ('absent'); 'empty' sends "", which a
   * panel writing a missing VM as text may.
   */
  backupVmField: 'hostname' | 'empty' | 'absent' = 'hostname';
  /** How backup rows carry `vm_uuid`: the VM's uuid (esdc-ce), or "" ('empty'), which a panel writing a missing uuid as text may. */
  backupVmUuidField: 'uuid' | 'empty' = 'uuid';
  /**
   * The backup endpoints (`GET /vm/{h}/backup`, and GET, PUT, DELETE of one backup) take the
   * hostname a backup was made under once no VM answers to it: esdc-ce's VmBackupList and VmBackup
   * look the VM up by hostname or uuid and, when none is found, filter on the backups'
   * `vm_hostname` ("Original server hostname or uuid", API docs). Off, they answer only to a VM's
   * hostname or uuid now, as the other endpoints do ("Server hostname or uuid"): the stricter
   * reading of the docs, which the gateway must survive as well.
   */
  answersToOriginalHostname = true;
  /**
   * A path's hostname finds the VM with case folded (`WEB01.example.com` is `web01.example.com`).
   * esdc-ce's `get_vm` looks a VM up by `Q(hostname=...) | Q(uuid=...)`, an exact match whose case
   * is the database's: on the PostgreSQL esdc-ce ships (core/settings.py) it is case-sensitive, so
   * off is esdc-ce's behaviour. The API docs do not say, and esdc-ce refuses a new hostname that
   * another VM's matches with case folded (`hostname__iexact`), so a Danube folding case on look-up
   * would still name one VM: on, it plays such a Danube (a case-insensitive collation).
   */
  foldsHostnameCase = false;
  /**
   * What a forced restore deletes besides the target disk's snapshots. Danube's API docs: "data.force
   * (boolean) – Force restore and delete existing snapshots and backups": true, as they say, the
   * target disk's other backups are gone once the restore is done (the one restored from stays: it
   * is what the restore reads); false plays a Danube that deletes snapshots alone, as its 417 names
   * them alone ("VM has snapshots (force=false)").
   */
  forceDeletesBackups = true;
  /**
   * The datacenter's backup size limit (esdc-ce's `VMS_VM_BACKUP_DC_SIZE_LIMIT`; here in bytes), or
   * none: a create is refused "417 Expectation Failed – DC backup size limit reached" (API docs) once
   * the sizes of the backups together reach it, checked before the VM (esdc-ce's VmBackup.post).
   */
  dcBackupSizeLimit: number | null = null;
  /**
   * The datacenter's `VMS_VM_BACKUP_ENABLED` false: backups switched off for it. esdc-ce guards every
   * backup view (`/vm/define/backup`, `/vm/{h}/define/backup[/{name}]`, `/vm/{h}/backup[/{name}]`)
   * with `@setting_required('VMS_VM_BACKUP_ENABLED')` (api/vm/backup/views.py), which raises Django's
   * Http404 when the DC's setting is off: esdc-ce's exception handler (api/views.py) answers it 404
   * with its bare `{"detail": "Not found"}` and Danube's `es_*` headers, after authentication and
   * before the VM is looked up, so a VM that exists and one that does not are answered alike. The
   * VM list and the task calls answer as ever.
   */
  backupsSwitchedOff = false;
  /**
   * A reverse proxy in front of Danube routes the backup paths (the same ones backupsSwitchedOff
   * names) to another Django REST API, or to nothing behind a Django default: that server answers
   * DRF's generic 404 `{"detail": "Not found."}`, without Danube's `es_*` headers. The VM list and
   * the task calls still reach Danube.
   */
  backupPathsRoutedElsewhere = false;
  /**
   * True serves a routed path without its trailing slash as if it had one, as the simulator did
   * before it answered such a path Django's 301: for a gateway of an earlier version, which sent
   * the bare paths (the bench's baseline build), never for tests of the gateway's own requests.
   */
  servesPathsWithoutSlash = false;
  /** VMs the simulated user may not touch: 403 PermissionDenied, which a new login does not change. */
  readonly forbidden = new Set<string>();
  /** True refuses the VM list itself 403 PermissionDenied: a user who may read nothing the gateway starts from. */
  forbidsVmList = false;
  /** The next task fails with this message. */
  failNextTask: string | null = null;
  /**
   * Asynchronous calls finish at once: "200 OK – SUCCESS" with the task's
   * result (the Danube API docs list it beside "201 Created – PENDING", and
   * their backup create example answers so), instead of a task to poll.
   */
  finishAtOnce = false;
  /**
   * The HTTP status a SUCCESS is answered with, by a call finished at once (finishAtOnce) and by a
   * finished task's status: 200, as the API docs' backup create example answers ("200 OK –
   * SUCCESS"); 201 as their definition create example does (`"status": 201` with `"status":
   * "SUCCESS"`), and as esdc-ce's task status does for a task whose result names its own success
   * code (api/task/utils.py `get_task_status`, the result's `meta.status`): the envelope, not the
   * status, says the work is done.
   */
  successHttpStatus: 200 | 201 = 200;
  /**
   * The word a running task's status answers with (201, `result` null). esdc-ce writes Celery's own
   * state there ("status": "<celery status>", api/task/response.py; get_task_result, RETRY read as
   * PENDING) and tracks started tasks (CELERY_TRACK_STARTED = True, core/celery/config.py), so a
   * task a worker has taken reads STARTED (providers.md: "201 PENDING/STARTED"); the API docs name
   * PENDING alone, which `'PENDING'` plays (a task still queued). The write's own answer says
   * PENDING: the task was just queued. The simulator answered PENDING only.
   */
  runningTaskWord: 'STARTED' | 'PENDING' = 'STARTED';
  /**
   * The HTTP status a running task is answered with, a write's own answer and its task's status
   * alike: 201 as the API docs say ("201 Created – PENDING"); 200 plays a panel, or a proxy before
   * it, that answers every success 200, which the gateway must still follow by the envelope's word.
   */
  runningTaskHttpStatus: 200 | 201 = 201;
  /**
   * Definitions answered as the API docs' examples give them (the create's answer and the
   * definition lists): without `compression`, `fsfreeze` and `type`, fields a create takes but
   * neither example shows. False (the default) answers them, as esdc-ce's serializer does.
   */
  definitionsAsDocumented = false;
  /** Called as a create's POST is answered: a test changes what Danube does between a create's own calls. */
  onCreate: (() => void) | null = null;
  /**
   * Each VM's brand (esdc-ce's `Vm.brand`: kvm, bhyve, joyent, lx) by its uuid: `kvm` unless a test
   * sets one (setVmBrand). A backup keeps its VM's brand when made; a restore onto a VM of another
   * brand is refused "428 – VM brand mismatch" (API docs).
   */
  private readonly vmBrands = new Map<string, string>();
  /** Disk sizes in MB by `uuid:disk_id`: DEFAULT_DISK_SIZE_MB unless a test sets one (setDiskSizeMb). */
  private readonly diskSizesMb = new Map<string, number>();
  /**
   * Free MB on each compute node's storage, by node name: room for any disk unless a test sets it.
   * esdc-ce restores into a temporary dataset first and, not knowing the data's size, asks the
   * target storage for the backup's whole disk size: less is "428 – Not enough free space on target storage".
   */
  readonly storageFreeMb = new Map<string, number>();
  /**
   * VMs locked (esdc-ce's `Vm.locked`: an admin's lock, or slave VMs, the VM's replicas) by uuid: a
   * restore onto one is refused "423 Locked – ... VM is locked or has slave VMs" (API docs, restore
   * only), and the VM list's `full` rows say `locked` (providers.md's list fields). Set with
   * setVmLocked and addSlaveVm.
   */
  private readonly lockedVmUuids = new Set<string>();
  /**
   * Each `GET /vm` list answers the VMs one place on, the first moved last, as a node whose list
   * has no set order may: the API docs name no `order_by` for `/vm` (its backup and definition
   * lists have one). Off by default: the seed's order, every read.
   */
  rotatesVmList = false;
  private readonly slaveVmCounts = new Map<string, number>();
  /** What esdc-ce's Backup keeps of its VM when made (`vm_brand`, `disk_size`), beside the row: not listed. */
  private readonly madeFrom = new WeakMap<Row, { brand: string; diskSizeMb: number }>();

  constructor(options: SimulatorServerOptions & SimulatorSeedOptions = {}) {
    super('danube', options);
  }

  /**
   * Compute or backup nodes that are down: a create, delete or restore touching one is refused
   * "423 Locked – Node is not operational" (API docs), nothing started.
   */
  readonly nodesDown = new Set<string>();

  /**
   * How long a login's token lives (Danube's tokens: an hour from the login, the `expires` it
   * answers; a request does not extend it). Tests set a short one and move `clockOffsetMs` past it.
   */
  tokenLifetimeMs = 3_600_000;
  /**
   * How the login writes `expires`, whose form Danube does not document: an ISO date with its zone
   * ('iso', `...Z`), one without ('iso-no-zone', a naive datetime in the server's UTC, microseconds
   * as Python writes them), seconds since the epoch ('epoch-seconds', a number), or words no reader
   * knows ('unreadable').
   */
  expiresFormat: 'iso' | 'iso-no-zone' | 'epoch-seconds' | 'unreadable' = 'iso';
  /** Added to the wall clock wherever the simulator reads it for tokens: a test moves time on without waiting. */
  clockOffsetMs = 0;
  private tokenExpiresAt = Infinity;

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The login token expires (Danube tokens last an hour from login). */
  expireToken(): void {
    this.expiredToken = this.token;
    this.token = null;
  }

  /** Someone else logs in as the same user: Danube deletes the user's single token and makes a new one. */
  loginElsewhere(): void {
    this.token = randomUUID().replace(/-/g, '');
  }

  setVmBrand(hostname: string, brand: string): void {
    this.vmBrands.set(String(this.vmNamedOrThrow(hostname).uuid), brand);
  }

  setDiskSizeMb(hostname: string, diskId: number, sizeMb: number): void {
    this.diskSizesMb.set(`${String(this.vmNamedOrThrow(hostname).uuid)}:${diskId}`, sizeMb);
  }

  setVmLocked(hostname: string, locked: boolean): void {
    const uuid = String(this.vmNamedOrThrow(hostname).uuid);
    if (locked) this.lockedVmUuids.add(uuid);
    else this.lockedVmUuids.delete(uuid);
  }

  /** The VM gets a slave VM (a replica at Danube), which locks it as Danube reads `locked`. */
  addSlaveVm(hostname: string): void {
    const uuid = String(this.vmNamedOrThrow(hostname).uuid);
    this.slaveVmCounts.set(uuid, (this.slaveVmCounts.get(uuid) ?? 0) + 1);
  }

  /** Every task still running is done now (a test holds tasks with a long asyncDelayMs, then lets them end). */
  finishTasks(): void {
    for (const task of this.tasks.values()) task.doneAt = Math.min(task.doneAt, Date.now());
    this.settleTasks();
  }

  /** Every lock and slave VM gone: a test's clean-up. */
  unlockAllVms(): void {
    this.lockedVmUuids.clear();
    this.slaveVmCounts.clear();
  }

  private isLocked(vm: Row): boolean {
    const uuid = String(vm.uuid);
    return this.lockedVmUuids.has(uuid) || (this.slaveVmCounts.get(uuid) ?? 0) > 0;
  }

  private vmNamedOrThrow(hostname: string): Row {
    const vm = this.vmNamed(hostname);
    if (!vm) throw new Error(`no VM ${hostname}`);
    return vm;
  }

  private brandOf(vm: Row): string {
    return this.vmBrands.get(String(vm.uuid)) ?? 'kvm';
  }

  private diskSizeOf(vm: Row, diskId: number): number {
    return this.diskSizesMb.get(`${String(vm.uuid)}:${diskId}`) ?? DEFAULT_DISK_SIZE_MB;
  }

  /**
   * A backup row joins the list, keeping its VM's brand and its disk's size as they are now (esdc-ce's Backup).
   * It carries providers.md's documented backup fields the simulator once left out: `type`, its
   * definition's ("data.type – Backup type (1 - dataset, 2 - file) (default: 1)", Danube API docs), and
   * `file_path`, where the backup node keeps it. The path's form is assumed (providers.md names the
   * field only): the zpool and the VM's uuid in it, as a backup node lays its backups out.
   */
  private keepBackup(backup: Row, vm: Row | undefined): void {
    const definition = this.definitions.find((item) => item.hostname === backup.hostname && item.name === backup.define && Number(item.disk_id) === Number(backup.disk_id));
    backup.type ??= Number(definition?.type ?? 1) === 2 ? 2 : 1;
    backup.file_path ??= storedPath(backup, vm);
    this.backups.push(backup);
    if (vm) this.madeFrom.set(backup, { brand: this.brandOf(vm), diskSizeMb: this.diskSizeOf(vm, Number(backup.disk_id)) });
  }

  /** A backup's brand and disk size when made; a row a test pushed takes its VM's now, or the defaults. */
  private madeFromOf(backup: Row): { brand: string; diskSizeMb: number } {
    const kept = this.madeFrom.get(backup);
    if (kept) return kept;
    const owner = this.ownerOf(backup);
    return owner ? { brand: this.brandOf(owner), diskSizeMb: this.diskSizeOf(owner, Number(backup.disk_id)) } : { brand: 'kvm', diskSizeMb: DEFAULT_DISK_SIZE_MB };
  }

  seed({ instances = 6, backupsPerInstance = 4, seed = 31 }: SimulatorSeedOptions): void {
    const random = new SeededRandom(seed);
    for (let index = 0; index < instances; index++) {
      const hostname = `web${String(index + 1).padStart(2, '0')}.example.com`;
      this.vms.push({ hostname, uuid: randomUUID(), alias: `web${index + 1}`, status: index % 5 === 4 ? 'stopped' : 'running', node: 'node99.erigones.com', vcpus: 2, ram: 2048, disks: 2 });
      // The second VM has neither definitions nor backups: nothing protects it.
      if (index === 1) continue;
      this.definitions.push(this.definition(hostname, 'daily', '0 4 * * *', 7, 1));
      if (index % 2 === 0) this.definitions.push(this.definition(hostname, 'weekly', '30 4 * * 6', 4, 2));
      // The first VM has definitions but no backups yet.
      if (index === 0) continue;
      for (let n = 0; n < backupsPerInstance; n++) {
        const created = index === 5 && n === backupsPerInstance - 1 ? recent() : new Date(Date.UTC(2024, 6, 10 + n, 4, 0, 1));
        this.keepBackup({ hostname, name: `daily-${stamp(created)}`, define: 'daily', disk_id: 1, status: index === 3 && n === 0 ? 4 : 1, size: random.int(40, 900) * 1_048_576, time: 1337, created: created.toISOString(), note: '', node: 'node99.erigones.com', zpool: 'zones' }, this.vms[index]);
      }
    }
  }

  /**
   * The VM is renamed. Its backups keep the hostname they were made under (esdc-ce's
   * `vm_hostname`) and stay the VM's (`vm`, `vm_uuid`); its definitions follow it (esdc-ce's
   * BackupDefine points at the VM, and its `hostname` is the VM's own).
   */
  renameVm(from: string, to: string): void {
    const vm = this.vms.find((item) => item.hostname === from);
    if (!vm) throw new Error(`no VM ${from}`);
    for (const backup of this.backups) if (backup.vm_uuid === undefined && backup.hostname === from) backup.vm_uuid = vm.uuid;
    for (const definition of this.definitions) if (definition.hostname === from) definition.hostname = to;
    for (const [disk, count] of [...this.snapshots]) {
      if (!disk.startsWith(`${from}:`)) continue;
      this.snapshots.delete(disk);
      this.snapshots.set(`${to}${disk.slice(from.length)}`, count);
    }
    vm.hostname = to;
  }

  /** The VM a path names: by its hostname now, or its uuid (esdc-ce's `get_vm`). */
  private vmNamed(hostnameOrUuid: string): Row | undefined {
    return this.vms.find((item) => this.sameName(item.hostname, hostnameOrUuid) || this.sameName(item.uuid, hostnameOrUuid));
  }

  /** A name as a look-up compares it: exactly, or with case folded (foldsHostnameCase). */
  private sameName(held: unknown, asked: string): boolean {
    if (typeof held !== 'string') return false;
    return this.foldsHostnameCase ? held.toLowerCase() === asked.toLowerCase() : held === asked;
  }

  /** The VM a backup is of: the one its `vm_uuid` names, else (rows a test made) the one its hostname names. */
  private ownerOf(backup: Row): Row | undefined {
    return backup.vm_uuid !== undefined ? this.vms.find((vm) => vm.uuid === backup.vm_uuid) : this.vms.find((vm) => vm.hostname === backup.hostname);
  }

  /**
   * A backup as esdc-ce's BackupSerializer sends it: `hostname` the VM's hostname when it was
   * made, `vm` the VM's hostname now and `vm_uuid` its uuid (both null once the VM is gone).
   */
  private listed(backup: Row): Row {
    const owner = this.ownerOf(backup);
    const vm = this.backupVmField === 'empty' ? '' : (owner?.hostname ?? null);
    const vmUuid = this.backupVmUuidField === 'empty' ? '' : (owner?.uuid ?? null);
    return { ...backup, ...(this.backupVmField === 'absent' ? {} : { vm }), vm_uuid: vmUuid };
  }

  /** A VM's backups, or those made under a hostname no VM answers to now (see answersToOriginalHostname). */
  private backupsOf(vm: Row | undefined, hostnameOrUuid: string): Row[] {
    return this.backups.filter((backup) => (vm ? this.ownerOf(backup) === vm : this.sameName(backup.hostname, hostnameOrUuid)));
  }

  /**
   * `GET /vm/define/backup`: "data.full – Return list of objects with all backup definition details
   * (default: false)", "data.extended – Include total number of backups for each backup definition
   * (default: false)". Read as esdc-ce's list views do: names alone with neither, objects with
   * either, the `backups` count only with extended. Both were ignored: every answer was the
   * extended one, so a gateway that left them out was never told.
   */
  private definitionList(data: Row): unknown[] {
    const extended = isTrue(data.extended);
    if (!extended && !isTrue(data.full)) return this.definitions.map((definition) => definition.name);
    return this.definitions.map((definition) => this.definitionDetails(definition, extended));
  }

  /**
   * `GET /vm/{hostname_or_uuid}/define/backup`, "List all VM backup definitions" (API docs), with
   * the list-all's `full` and `extended`, and "data.disk_id (integer) – Filter by disk number/ID":
   * "412 Precondition Failed – Invalid disk_id" for a disk the VM has not. The simulator answered
   * the documented path 404 "Not found".
   */
  private vmDefinitionList(vm: Row, data: Row): SimResponse {
    const diskId = data.disk_id === undefined ? null : Number(data.disk_id);
    if (diskId !== null && !validDisk(vm, diskId)) return { status: 412, json: { detail: 'Invalid disk_id' } };
    const own = this.definitions.filter((definition) => definition.hostname === vm.hostname && (diskId === null || Number(definition.disk_id ?? 1) === diskId));
    const extended = isTrue(data.extended);
    if (!extended && !isTrue(data.full)) return ok(own.map((definition) => definition.name));
    return ok(own.map((definition) => this.definitionDetails(definition, extended)));
  }

  /**
   * A definition as an answer gives it: with `backups`, its backups' count, only where `extended`
   * asks for it ("data.extended – Include total number of backups", on the lists and on one
   * definition's GET; the API docs' create and list examples show none). Each definition is one
   * VM disk's, so the count is of that disk's backups of its name. Every answer carried a
   * `backups: 0` kept from the definition's creation, whatever it had made (and the extended
   * list counted another disk's backups of the same name).
   */
  private definitionDetails(definition: Row, extended: boolean): Row {
    const { backups: _count, ...stored } = definition;
    const details = this.definitionsAsDocumented ? withoutUndocumented(stored) : stored;
    if (!extended) return details;
    const made = this.backups.filter((backup) => this.ownerOf(backup)?.hostname === definition.hostname && backup.define === definition.name && Number(backup.disk_id) === Number(definition.disk_id ?? 1));
    return { ...details, backups: made.length };
  }

  private definition(hostname: string, name: string, schedule: string, retention: number, compression: number): Row {
    return { hostname, name, disk_id: 1, type: 1, node: 'node99.erigones.com', zpool: 'zones', schedule, retention, active: true, compression, bwlimit: null, desc: '', fsfreeze: false };
  }

  /**
   * Tasks run on Danube's workers whether anyone asks or not: each one past its time is finished
   * (its work, or its failure's undoing) before any request is answered. The simulator finished a
   * task only when its status was polled, so a create nobody polled listed its backup pending for
   * ever, and a failed one kept it.
   */
  private settleTasks(): void {
    const now = Date.now();
    for (const task of this.tasks.values()) {
      if (task.done || task.revoked || now < task.doneAt) continue;
      task.done = true;
      task.onDone();
    }
  }

  /**
   * Every answer of Danube's API views carries `es_version`, `es_username` and `es_dc` (esdc-ce's
   * api/response.py `set_response_headers`; providers.md); the proxy's answer (backupPathsRoutedElsewhere)
   * and Django's for a path with no route (resourceNotFound) none.
   */
  protected handle(request: SimRequest): SimResponse {
    const segments = request.segments[0] === 'api' ? request.segments.slice(1) : request.segments;
    if (this.backupPathsRoutedElsewhere && isBackupPath(segments)) return { status: 404, json: { detail: 'Not found.' } };
    // No url pattern, no view: Django's 404 handler, before authentication (sim-routes.ts). The
    // simulator answered DRF's "Not found" with Danube's headers, as a view would.
    if (!isSimulatedRoute(segments)) return resourceNotFound();
    // Every esdc-ce url pattern ends in "/": a path without it is answered by Django's CommonMiddleware
    // (APPEND_SLASH), before any view or authentication, with a 301 to the slashed path, the query kept
    // (slashed-path.ts). The simulator served both, so a gateway calling without the slash passed here
    // and failed at every real panel.
    if (!request.rawPath.endsWith('/') && !this.servesPathsWithoutSlash) return appendSlashRedirect(request);
    const answer = this.answer(request);
    return { ...answer, headers: { ...DANUBE_HEADERS, ...answer.headers } };
  }

  private answer(request: SimRequest): SimResponse {
    this.settleTasks();
    const { method } = request;
    // The API lives under /api, as on my.erigones.com.
    const segments = request.segments[0] === 'api' ? request.segments.slice(1) : request.segments;
    request.label = `${method} /${segments.map((segment, index) => (isVariable(segments, index) ? ':x' : segment)).join('/')}`;
    if (method === 'POST' && segments.join('/') === 'accounts/login') return this.login(request);
    const refused = this.refusal(request);
    if (refused) return refused;
    const data = method === 'GET' ? Object.fromEntries(request.query) : ((request.json ?? {}) as Row);
    const [first, second, third, fourth, fifth] = segments;
    if (first === 'task' && third === 'status' && segments.length === 3) return this.task(second as string);
    if (first === 'task' && third === 'cancel' && segments.length === 3 && method === 'PUT') return this.cancelTask(second as string);
    // "GET /task lists pending tasks".
    if (first === 'task' && segments.length === 1 && method === 'GET') return ok([...this.tasks].filter(([, task]) => !task.done && !task.revoked).map(([id]) => id));
    if (first !== 'vm') return notFound('Not found');
    if (this.backupsSwitchedOff && isBackupPath(segments)) return notFound('Not found');
    if (segments.length === 1 && method === 'GET') {
      if (this.forbidsVmList) return forbidden('You do not have permission to perform this action.');
      if (this.rotatesVmList && this.vms.length > 1) this.vms.push(this.vms.shift() as Row);
      return ok(isTrue(data.full) ? this.vms.map((vm) => this.fullVmRow(vm)) : this.vms.map((vm) => vm.hostname));
    }
    if (second === 'define' && third === 'backup' && segments.length === 3 && method === 'GET') return ok(this.definitionList(data));
    const hostnameOrUuid = second as string;
    if (!HOSTNAME.test(hostnameOrUuid)) return { status: 412, json: { detail: 'Invalid hostname' } };
    const vm = this.vmNamed(hostnameOrUuid);
    // A create names a VM there is now (its bkpdef is the VM's definition); a backup's other calls, its original hostname too.
    const byOriginalHostname = this.answersToOriginalHostname && third === 'backup' && !(fourth !== undefined && method === 'POST');
    if (!vm && !byOriginalHostname) return notFound('VM not found');
    if (vm && this.forbidden.has(String(vm.hostname))) return forbidden('You do not have permission to perform this action.');
    if (vm && third === 'define' && fourth === 'backup' && fifth !== undefined) return this.defineBackup(method, vm, fifth, data);
    if (vm && third === 'define' && fourth === 'backup' && segments.length === 4 && method === 'GET') return this.vmDefinitionList(vm, data);
    if (third === 'backup' && fourth === undefined && method === 'GET') {
      const rows = (this.ignoresVmFilter ? this.backups : this.backupsOf(vm, hostnameOrUuid)).map((backup) => this.listed(backup));
      // "data.full (boolean) – Return list of objects with all backup details (default: false)": names alone without it.
      return ok(isTrue(data.full) ? rows : rows.map((row) => row.name));
    }
    if (third === 'backup' && fourth !== undefined) return this.backup(method, vm, hostnameOrUuid, fourth, data);
    return notFound('Not found');
  }

  /** Danube's `{"detail": ...}` quoting the login body, the API key or the token the request carried. */
  protected echo(request: SimRequest): SimResponse {
    const login = request.json as { username?: unknown; password?: unknown } | undefined;
    if (request.segments.join('/').endsWith('accounts/login') && login) {
      return { status: 400, json: { detail: `Unable to log in as ${String(login.username)} with password ${String(login.password)}.` } };
    }
    const credential = request.headers['es-api-key'] ?? request.headers.authorization ?? '';
    return { status: 400, json: { detail: `Credentials "${String(credential)}" do not allow this request.` } };
  }

  /**
   * Danube's answer to a request it does not authenticate, or null. Always
   * 403, never 401: esdc-ce's views list SessionAuthentication first, which
   * names no WWW-Authenticate scheme, so DRF coerces NotAuthenticated and
   * AuthenticationFailed to 403 (api/views.py `handle_exception`). An expired
   * token authenticates no one ("credentials were not provided"); a deleted
   * one fails ("Invalid token.", api/authentication.py).
   */
  private refusal(request: SimRequest): SimResponse | null {
    const apiKey = request.headers['es-api-key'];
    if (apiKey !== undefined) return apiKey === DANUBE_SIM_API_KEY ? null : forbidden('Invalid API key');
    // A token past its hour is expired on Danube's clock, asked about or not.
    if (this.token !== null && this.now() >= this.tokenExpiresAt) this.expireToken();
    const match = /^Token (\S+)$/.exec(String(request.headers.authorization ?? ''));
    if (match !== null && this.token !== null && match[1] === this.token) return null;
    this.tokensRefused += 1;
    if (match === null || match[1] === this.expiredToken) return forbidden(this.inLanguageOf(request, 'Authentication credentials were not provided.'));
    return forbidden(this.inLanguageOf(request, 'Invalid token.'));
  }

  /** DRF's words in the language LocaleMiddleware would pick for the request. */
  private inLanguageOf(request: SimRequest, english: keyof typeof SLOVAK): string {
    const asked = String(request.headers['accept-language'] ?? '').split(',').map((item) => item.split(';')[0]!.trim().toLowerCase());
    const language = asked.find((tag) => tag === 'en' || tag.startsWith('en-') || tag === 'sk' || tag.startsWith('sk-'))?.slice(0, 2) ?? this.defaultLanguage;
    return language === 'sk' ? SLOVAK[english] : english;
  }

  /** Each login replaces the user's single token: earlier tokens stop working. */
  private login(request: SimRequest): SimResponse {
    const body = request.json as { username?: unknown; password?: unknown } | undefined;
    if (body?.username !== DANUBE_SIM_USER || body.password !== this.accountPassword) return { status: 400, json: { detail: 'Unable to log in with provided credentials.' } };
    this.logins += 1;
    this.expiredToken = null;
    this.token = randomUUID().replace(/-/g, '');
    this.tokenExpiresAt = this.now() + this.tokenLifetimeMs;
    this.issuedTokens.add(this.token);
    // The server's clock, as any HTTP server dates its answers: the one `expires` is on.
    return { status: 200, headers: { date: new Date(this.now()).toUTCString() }, json: { token: this.token, expires: this.writtenExpires(), detail: 'Welcome to Danube Cloud API.' } };
  }

  private writtenExpires(): string | number {
    const iso = new Date(this.tokenExpiresAt).toISOString();
    if (this.expiresFormat === 'iso-no-zone') return `${iso.slice(0, -1)}000`;
    if (this.expiresFormat === 'epoch-seconds') return Math.floor(this.tokenExpiresAt / 1000);
    if (this.expiresFormat === 'unreadable') return 'in an hour';
    return iso;
  }

  /**
   * A definition is one VM's, one disk's and one name's: "data.disk_id (integer) – required -
   * Disk number/ID (default: 1)" on every definition call, and esdc-ce's BackupDefine is
   * unique on (vm, disk_id, name). "daily" of disk 1 and "daily" of disk 2 are two definitions.
   */
  private defineBackup(method: string, vm: Row, name: string, data: Row): SimResponse {
    // "423 Locked – Node is not operational" (API docs: a definition's create, update and delete):
    // esdc-ce's vm_define_backup (api/vm/backup/views.py) finds the VM with get_vm, whose
    // check_node_status refuses a POST, PUT or DELETE on a compute node that is not operational,
    // before the disk (412) and the definition (404, 406). The simulator never refused one.
    if (method !== 'GET' && this.nodesDown.has(String(vm.node))) return nodeDown();
    const hostname = String(vm.hostname);
    const diskId = Number(data.disk_id ?? 1);
    if (!validDisk(vm, diskId)) return { status: 412, json: { detail: 'Invalid disk_id' } };
    const index = this.definitions.findIndex((item) => item.hostname === hostname && item.name === name && Number(item.disk_id) === diskId);
    const existing = index >= 0 ? this.definitions[index] : undefined;
    if (method === 'GET') return existing ? ok(this.definitionDetails(existing, isTrue(data.extended))) : notFound('Backup definition not found');
    if (method === 'POST') {
      if (existing) return { status: 406, json: { detail: 'Backup definition already exists' } };
      const errors: Record<string, string[]> = {};
      // esdc-ce BackupDefineSerializer: name = RegexField(r'^[A-Za-z0-9][A-Za-z0-9\._-]*$', max_length=8).
      if (!DEFINITION_NAME.test(name)) errors.name = [name.length > 8 ? `Ensure this value has at most 8 characters (it has ${name.length}).` : 'Enter a valid value.'];
      // "data.node (string) – required - Name of the backup node": no default.
      if (typeof data.node !== 'string' || data.node === '') errors.node = ['This field is required.'];
      else if (!this.vms.some((vm) => vm.node === data.node)) errors.node = [`Object with hostname=${data.node} does not exist.`];
      if (typeof data.schedule !== 'string' || data.schedule.trim().split(/\s+/).length !== 5) errors.schedule = ['Invalid cron format.'];
      if (typeof data.retention !== 'number' || data.retention < 1) errors.retention = ['Ensure this value is greater than or equal to 1.'];
      // "data.type – required - Backup type (1 - dataset, 2 - file) (default: 1)".
      if (data.type !== undefined && data.type !== 1 && data.type !== 2) errors.type = [`"${String(data.type)}" is not a valid choice.`];
      Object.assign(errors, overLongDefinitionFields(data, ['zpool', 'desc']));
      if (Object.keys(errors).length > 0) return { status: 400, json: { status: 'FAILURE', result: errors, task_id: taskId() } };
      const created = { ...this.definition(hostname, name, data.schedule as string, data.retention as number, Number(data.compression ?? 0)), ...pick(data, ['node', 'zpool', 'active', 'bwlimit', 'desc', 'fsfreeze', 'disk_id', 'type']) };
      this.definitions.push(created);
      return { status: 201, json: { status: 'SUCCESS', result: this.definitionDetails(created, false), task_id: taskId() } };
    }
    if (!existing) return notFound('Backup definition not found');
    if (method === 'PUT') {
      const errors = overLongDefinitionFields(data, ['desc']);
      if (Object.keys(errors).length > 0) return { status: 400, json: { status: 'FAILURE', result: errors, task_id: taskId() } };
      const updated = { ...existing, ...pick(data, ['schedule', 'retention', 'active', 'compression', 'bwlimit', 'desc']) };
      this.definitions[index] = updated;
      return ok(this.definitionDetails(updated, false));
    }
    if (method === 'DELETE') {
      this.definitions.splice(index, 1);
      // Its backups stay, naming no definition (esdc-ce Backup.define: on_delete SET_NULL).
      for (const backup of this.backups) if (this.ownerOf(backup) === vm && backup.define === name && Number(backup.disk_id) === diskId) backup.define = null;
      return ok(null);
    }
    return { status: 405, json: { detail: 'Method not allowed' } };
  }

  /** `vm` is undefined where the path names the hostname a backup was made under, and no VM answers to it now. */
  private backup(method: string, vm: Row | undefined, hostnameOrUuid: string, name: string, data: Row): SimResponse {
    // A create's VM's compute node first, as esdc-ce: VmBackup.__init__ (api/vm/backup/vm_backup.py)
    // finds a POST's VM with get_vm, whose check_node_status (api/vm/utils.py; POST, PUT and DELETE
    // unless told otherwise) raises NodeIsNotOperational before get_disk_id reads disk_id (412) and
    // the BackupDefine is looked up (404); the other methods pass check_node_status=None.
    if (method === 'POST' && vm && this.nodesDown.has(String(vm.node))) return nodeDown();
    const diskId = Number(data.disk_id ?? 1);
    // "412 Precondition Failed – Invalid disk_id": a create's disk must be one the VM has (esdc-ce's
    // get_disk_id); the other calls name the backup's original disk ("Original disk number/ID"), read
    // by filter_disk_id with no VM (api/vm/snapshot/utils.py), so any positive number passes and the
    // backup is looked up by it. A disk the VM has since lost still names its backups: they were
    // refused here, never deleted, restored from or noted.
    if (method === 'POST' ? vm && !validDisk(vm, diskId) : !(Number.isInteger(diskId) && diskId >= 1)) return { status: 412, json: { detail: 'Invalid disk_id' } };
    if (method === 'POST' && vm) {
      const hostname = String(vm.hostname);
      const definition = this.definitions.find((item) => item.hostname === hostname && item.name === name && Number(item.disk_id) === diskId);
      if (!definition) return notFound('Backup definition not found');
      if (this.dcBackupSizeLimit !== null && this.backups.reduce((total, item) => total + (Number(item.size) || 0), 0) >= this.dcBackupSizeLimit) {
        return { status: 417, json: { detail: 'DC backup size limit reached' } };
      }
      // esdc-ce's VmBackup.post: the DC's size limit, then _check_vm ("VM is not installed", then
      // the VM's status), then the backup node (the compute node was checked first, above).
      // "428 – VM is not installed" (API docs, create only), read as the VM's `installed` mark being
      // false (esdc-ce's Vm.is_installed: a blank HVM VM not yet marked installed), checked before the
      // VM's status as `_check_vm` does for a user who is no DC admin (it was checked after, so a VM
      // both not installed and not operational answered 423); the docs say neither which status nor
      // which field, so a VM without an `installed` field is installed.
      if (vm.installed === false) return { status: 428, json: { detail: 'VM is not installed' } };
      const locked = this.lockedRefusal(vm, definition);
      if (locked) return locked;
      const created = new Date();
      const backup: Row = { hostname, vm_uuid: vm.uuid, name: `${name}-${stamp(created)}`, define: name, disk_id: diskId, status: 2, size: null, time: null, created: created.toISOString(), note: typeof data.note === 'string' ? data.note : '', node: definition.node, zpool: definition.zpool };
      // esdc-ce's Backup is unique on (vm_hostname, vm_disk_id, name): two disks' backups made in one second may share a name.
      if (this.backups.some((item) => item.hostname === hostname && item.name === backup.name && Number(item.disk_id) === diskId)) return { status: 406, json: { detail: 'Backup already exists' } };
      this.keepBackup(backup, vm);
      this.onCreate?.();
      return this.startTask(vm, { message: 'Backup successfully created', returncode: 0, detail: this.createDetail(hostname, String(backup.name), diskId) }, () => {
        backup.status = 1;
        backup.size = 52_428_800;
        backup.time = 12;
      }, () => {
        // A failed create leaves no backup: esdc-ce deletes the record (api/vm/backup/tasks.py `_vm_backup_cb_failed`).
        const index = this.backups.indexOf(backup);
        if (index >= 0) this.backups.splice(index, 1);
      });
    }
    const backup = this.backupsOf(vm, hostnameOrUuid).find((item) => item.name === name && Number(item.disk_id) === diskId);
    if (!backup) return notFound('Backup not found');
    if (method === 'GET') return ok(this.listed(backup));
    if (method === 'DELETE') {
      if (backup.status !== 1 && backup.status !== 4) return { status: 417, json: { detail: 'VM backup status is not OK' } };
      // "423 Locked – Node is not operational / VM is not operational" (API docs, delete too). esdc-ce's
      // VmBackup.delete checks the backup node whether or not the VM still exists, then the VM's status,
      // not its compute node ("Only target VM status and backup node status are important").
      const owner = this.ownerOf(backup);
      if (this.nodesDown.has(String(backup.node))) return nodeDown();
      const notOperational = owner ? vmStatusRefusal(owner) : null;
      if (notOperational) return notOperational;
      // A lost backup has no file to delete: esdc-ce drops its record at once, 200 without a task.
      if (backup.status === 4) {
        this.backups.splice(this.backups.indexOf(backup), 1);
        return ok({ message: 'Backup successfully deleted from DB' });
      }
      // The backup reads "pending" while its delete runs, and OK again if the delete fails (esdc-ce).
      backup.status = 2;
      return this.startTask(this.ownerOf(backup), { message: 'Backup successfully deleted' }, () => {
        this.backups.splice(this.backups.indexOf(backup), 1);
      }, () => {
        backup.status = 1;
      });
    }
    if (method === 'PUT' && typeof data.note === 'string') {
      backup.note = data.note;
      return ok(this.listed(backup));
    }
    if (method === 'PUT') return this.restore(backup, data);
    return { status: 405, json: { detail: 'Method not allowed' } };
  }

  /**
   * A restore (`PUT` without a note), refused as esdc-ce's VmBackup.put checks, in its order: the
   * backup's status, the nodes, the target VM, its lock, its brand, its disk (`target_disk_id` is read with no
   * default, so one left out is "Invalid target_disk_id"), that disk's size against the backup's
   * disk, the room on the target's storage, then snapshots, the VM's state and its tasks.
   */
  private restore(backup: Row, data: Row): SimResponse {
    if (backup.status !== 1) return { status: 417, json: { detail: 'VM backup status is not OK' } };
    if (this.nodesDown.has(String(backup.node))) return { status: 423, json: { detail: 'Node is not operational' } };
    const target = typeof data.target_hostname_or_uuid === 'string' ? this.vmNamed(data.target_hostname_or_uuid) : undefined;
    if (!target) return notFound('VM not found');
    if (this.nodesDown.has(String(target.node))) return { status: 423, json: { detail: 'Node is not operational' } };
    // esdc-ce's VmBackup.put checks the target's lock right after its node, before its brand.
    if (this.isLocked(target)) return { status: 423, json: { detail: 'VM is locked or has slave VMs' } };
    const made = this.madeFromOf(backup);
    if (this.brandOf(target) !== made.brand) return { status: 428, json: { detail: 'VM brand mismatch' } };
    // "data.target_disk_id (integer) – required - Target disk number/ID": it defaulted to the backup's disk here.
    const targetDiskId = data.target_disk_id === undefined || data.target_disk_id === null ? Number.NaN : Number(data.target_disk_id);
    if (!validDisk(target, targetDiskId)) return { status: 412, json: { detail: 'Invalid target_disk_id' } };
    if (this.diskSizeOf(target, targetDiskId) !== made.diskSizeMb) return { status: 428, json: { detail: 'Disk size mismatch' } };
    if (made.diskSizeMb > (this.storageFreeMb.get(String(target.node)) ?? Infinity)) return { status: 428, json: { detail: 'Not enough free space on target storage' } };
    // "data.force (boolean) – Force restore and delete existing snapshots and backups (default: true)".
    // force answers for snapshots only: "417 Expectation Failed – ... VM has snapshots (force=false)",
    // while "423 Locked – ... VM is not stopped" holds whatever force says.
    const force = data.force === undefined ? true : data.force === true;
    const targetDisk = `${String(target.hostname)}:${targetDiskId}`;
    if (!force && (this.snapshots.get(targetDisk) ?? 0) > 0) return { status: 417, json: { detail: 'VM has snapshots' } };
    // esdc-ce: `vm.status != vm.STOPPED`, so `stopped-` (notready: a task works on its disk) is not stopped.
    if (target.status !== 'stopped') return { status: 423, json: { detail: 'VM is not stopped' } };
    // "409 Conflict – VM has pending tasks" (API docs, restore only): a create, delete or restore
    // still running on the target VM. It took a second restore onto a VM mid-restore, which
    // Danube refuses; a backup's own task (its status 2 or 3) is the 417 above.
    if (this.hasPendingTasks(target)) return { status: 409, json: { detail: 'VM has pending tasks' } };
    backup.status = 3;
    return this.startTask(target, { message: 'Backup successfully restored' }, () => {
      backup.status = 1;
      this.snapshots.delete(targetDisk);
      if (force && this.forceDeletesBackups) this.deleteBackupsOfDisk(target, targetDiskId, backup);
    }, () => {
      backup.status = 1;
    });
  }

  /**
   * A `GET /vm?full=true` row in providers.md's fields (`hostname`, `uuid`, `alias`, `node`,
   * `owner`, `status`, `node_status`, `vcpus`, `ram`, `disk`, `ips`, `uptime`, `locked`): the
   * simulator's own `disks` (how many disks the VM has, for its `disk_id` checks) is no field of
   * Danube's and stays off the wire, where it was listed as one. `disk` is the size (MB), and
   * `node_status` says whether the compute node is up (esdc-ce's words, online or offline).
   */
  private fullVmRow(vm: Row): Row {
    const { disks, ...row } = vm;
    return {
      owner: 'admin',
      node_status: this.nodesDown.has(String(vm.node)) ? 'offline' : 'online',
      disk: 10_240 * Number(disks ?? 1),
      ips: [],
      uptime: null,
      ...row,
      locked: this.isLocked(vm),
    };
  }

  /**
   * "423 Locked – Node is not operational / VM is not operational" of a create, in esdc-ce's order
   * (VmBackup.post): the VM's status, then the backup node its definition names.
   */
  private lockedRefusal(vm: Row, definition: Row): SimResponse | null {
    return vmStatusRefusal(vm) ?? (this.nodesDown.has(String(definition.node)) ? nodeDown() : null);
  }

  /** A forced restore's "delete existing ... backups": the target disk's backups but the one restored from. */
  private deleteBackupsOfDisk(vm: Row, diskId: number, kept: Row): void {
    for (let index = this.backups.length - 1; index >= 0; index--) {
      const item = this.backups[index] as Row;
      if (item !== kept && this.ownerOf(item) === vm && Number(item.disk_id) === diskId) this.backups.splice(index, 1);
    }
  }

  /** Whether a task of the VM is still running (not yet due, nor revoked), asked about or not. */
  private hasPendingTasks(vm: Row): boolean {
    const now = Date.now();
    return [...this.tasks.values()].some((task) => task.vmUuid === vm.uuid && !task.revoked && !task.done && now < task.doneAt);
  }

  private startTask(vm: Row | undefined, result: Row, onDone: () => void, onFail: () => void = () => {}): SimResponse {
    const id = taskId();
    const fail = this.failNextTask;
    this.failNextTask = null;
    if (this.finishAtOnce) {
      (fail ? onFail : onDone)();
      return fail ? { status: 400, json: { status: 'FAILURE', result: { detail: fail }, task_id: id } } : { status: this.successHttpStatus, json: { status: 'SUCCESS', result, task_id: id } };
    }
    this.tasks.set(id, { vmUuid: typeof vm?.uuid === 'string' ? vm.uuid : null, doneAt: Date.now() + this.asyncDelayMs, fail, revoked: false, result, onDone: fail ? onFail : onDone, done: false });
    return { status: this.runningTaskHttpStatus, json: { status: 'PENDING', result: null, task_id: id }, headers: { es_task_id: id } };
  }

  /**
   * The definition runs by its own schedule (esdc-ce's beat, or another
   * client's call) and its backup is done at `at`: one more backup of that
   * definition and disk, beside any a create made.
   */
  runDefinition(hostname: string, name: string, diskId = 1, at = new Date()): Row {
    const definition = this.definitions.find((item) => item.hostname === hostname && item.name === name && Number(item.disk_id) === diskId);
    if (!definition) throw new Error(`no definition ${name} of ${hostname} disk ${diskId}`);
    const backup: Row = { hostname, vm_uuid: this.vmNamed(hostname)?.uuid, name: `${name}-${stamp(at)}`, define: name, disk_id: diskId, status: 1, size: 52_428_800, time: 12, created: at.toISOString(), note: '', node: definition.node, zpool: definition.zpool };
    this.keepBackup(backup, this.vmNamed(hostname));
    return backup;
  }

  revokeTask(id: string): void {
    const task = this.tasks.get(id);
    if (task) task.revoked = true;
  }

  forgetTask(id: string): void {
    this.tasks.delete(id);
  }

  /**
   * A task that ran while nobody asked, and whose result Danube has since
   * forgotten: its work (or its failure's undoing) is done, then its status
   * answers 404 "Task does not exist (anymore)".
   */
  expireTask(id: string): void {
    const task = this.tasks.get(id);
    if (task && !task.done && !task.revoked) {
      task.done = true;
      task.onDone();
    }
    this.tasks.delete(id);
  }

  /**
   * "PUT /task/{id}/cancel revokes one" and answers with the task's status,
   * as GET /task/{id}/status does (esdc-ce `task_cancel`): 410 REVOKED for a
   * task it revoked. A task not among the user's pending ones (finished,
   * revoked, or unknown) answers 406 "Task cannot be canceled".
   */
  private cancelTask(id: string): SimResponse {
    const task = this.tasks.get(id);
    if (!task || task.revoked || task.done || Date.now() >= task.doneAt) return { status: 406, json: { detail: 'Task cannot be canceled' } };
    task.revoked = true;
    return this.task(id);
  }

  private task(id: string): SimResponse {
    const task = this.tasks.get(id);
    if (!task) return notFound('Task does not exist (anymore)');
    if (task.revoked) return { status: 410, json: { task_id: id, status: 'REVOKED', result: { detail: 'Task was revoked' } } };
    if (Date.now() < task.doneAt) return { status: this.runningTaskHttpStatus, json: { task_id: id, status: this.runningTaskWord, result: null } };
    if (!task.done) {
      task.done = true;
      task.onDone();
    }
    if (task.fail) return { status: 400, json: { task_id: id, status: 'FAILURE', result: { detail: task.fail } } };
    return { status: this.successHttpStatus, json: { task_id: id, status: 'SUCCESS', result: task.result } };
  }
}

/**
 * A finished create's `result.detail` as a current esdc-ce writes it: its
 * callback (api/vm/backup/tasks.py `vm_backup_cb`) replaces the detail with
 * the backup tool's figures, only the keys of `BACKUP_LOG_DETAIL` (msg, rc,
 * time_elapsed, size, backup_snapshot_size), so no backup is named.
 */
export const ESDC_CE_CREATE_DETAIL = (): string => "msg='', rc=0, time_elapsed=12, backup_snapshot_size=52428800";

/** A disk's size where a test set none: every seeded disk is this size, so any restores onto any. */
const DEFAULT_DISK_SIZE_MB = 10_240;
/** Where the backup node keeps a backup: a dataset (type 1) or a file (type 2) under the zpool (a form assumed: see keepBackup). */
const storedPath = (backup: Row, vm: Row | undefined): string =>
  backup.type === 2
    ? `/${String(backup.zpool ?? 'zones')}/backups/file/${String(vm?.uuid ?? backup.hostname)}/disk-${String(backup.disk_id ?? 1)}/${String(backup.name)}.zfs`
    : `${String(backup.zpool ?? 'zones')}/backups/ds/${String(vm?.uuid ?? backup.hostname)}-disk${String(backup.disk_id ?? 1)}@${String(backup.name)}`;
const taskId = () => `1e1-${randomUUID()}`;
const ok = (result: unknown): SimResponse => ({ status: 200, json: { status: 'SUCCESS', result, task_id: taskId() } });
const notFound = (detail: string): SimResponse => ({ status: 404, json: { detail } });

/** The headers of Danube's own answers: its version, the user, the datacenter (esdc-ce's api/response.py). */
const DANUBE_HEADERS: Readonly<Record<string, string>> = { es_version: '4.5.0', es_username: DANUBE_SIM_USER, es_dc: 'main' };

/** The backup views' paths (`/vm/define/backup`, `/vm/{h}/define/backup[/{name}]`, `/vm/{h}/backup[/{name}]`), which esdc-ce guards by VMS_VM_BACKUP_ENABLED. */
function isBackupPath(segments: readonly string[]): boolean {
  const [first, second, third, fourth] = segments;
  if (first !== 'vm') return false;
  return second === 'define' ? third === 'backup' : third === 'backup' || (third === 'define' && fourth === 'backup');
}
const forbidden = (detail: string): SimResponse => ({ status: 403, json: { detail } });
/** Stand-ins for DRF's Slovak catalogue: what matters is that they are not the English words. */
const SLOVAK = {
  'Authentication credentials were not provided.': 'Prihlasovacie údaje neboli zadané.',
  'Invalid token.': 'Neplatný token.',
} as const;
/**
 * A VM's state without the trailing "-" of the documented words `stopped-`,
 * `running-`, `frozen-`, `notcreated-` (a change to the VM waiting to be
 * applied): a `stopped-` VM is stopped, and can be restored onto.
 */
/** esdc-ce api/vm/backup/vm_backup.py `_check_vm`: `vm.status not in (vm.RUNNING, vm.STOPPED, vm.STOPPING)`. */
const BACKUP_VM_STATUSES: ReadonlySet<string> = new Set(['running', 'stopped', 'stopping']);
const nodeDown = (): SimResponse => ({ status: 423, json: { detail: 'Node is not operational' } });

/**
 * A create's or a delete's "423 – VM is not operational": esdc-ce's VmBackup._check_vm, not the wider
 * Vm.STATUS_OPERATIONAL, so a stopping VM is backed up and a `stopped-` or `running-` one (notready:
 * a task such as a restore works on its disk) is not (the simulator took the `-` forms and refused stopping).
 */
const vmStatusRefusal = (vm: Row): SimResponse | null =>
  BACKUP_VM_STATUSES.has(String(vm.status)) ? null : { status: 423, json: { detail: 'VM is not operational' } };
const validDisk = (vm: Row, diskId: number): boolean => Number.isInteger(diskId) && diskId >= 1 && diskId <= Number(vm.disks ?? 1);
/** A boolean query parameter as a Django view reads one: `true`, `True` or `1`. */
const isTrue = (value: unknown): boolean => value === true || value === 'true' || value === 'True' || value === '1';
const pick = (data: Row, keys: string[]): Row => Object.fromEntries(keys.filter((key) => data[key] !== undefined).map((key) => [key, data[key]]));

/** Which path segments are names (hostnames, definitions, backups, tasks) rather than fixed words. */
function isVariable(segments: readonly string[], index: number): boolean {
  const previous = segments[index - 1];
  if (previous === 'vm') return segments[index] !== 'define';
  if (previous === 'task') return true;
  return previous === 'backup' && index >= 3;
}

/** A definition without the fields the API docs' examples leave out (see definitionsAsDocumented). */
function withoutUndocumented(definition: Row): Row {
  const { compression: _compression, fsfreeze: _fsfreeze, type: _type, ...shown } = definition;
  return shown;
}
