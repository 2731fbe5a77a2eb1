import { createHash, randomUUID } from 'node:crypto';
import { SAMPLE_NAMES, SeededRandom, type SimulatorSeedOptions } from '../../simulator/random.js';
import { ProviderSimulator, type SimRequest, type SimResponse, type SimulatorServerOptions } from '../../simulator/server.js';

/** The sixth instance's newest backup is an hour old, so the demo has PROTECTED instances (the other seeded dates are years old). */
const recent = (): Date => new Date(Date.now() - 60 * 60 * 1000);

export const ZSTACK_SIM_ACCOUNT = 'admin';
export const ZSTACK_SIM_PASSWORD = 'sim-zstack-password-5b1f';
export const ZSTACK_SIM_STORAGE = 'fc50c1ece4753c1981e3e3f65a151e0e';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const uuid = (): string => randomUUID().replace(/-/g, '');

/**
 * How a management node's JVM writes dates: ZStack leaves Gson's default
 * format, the JDK's US medium date-time, which changed with Java 9 (a comma
 * after the year) and JDK 20 (U+202F before AM/PM); '24h' is the form
 * ZStack's own Go SDK also reads.
 */
export type ZstackDateStyle = 'java8' | 'java9' | 'java20' | '24h';

/** ZStack's date format, in the server's (here: UTC) wall clock; Java 8's unless `style` says otherwise. */
export function zstackDate(date: Date, style: ZstackDateStyle = 'java8'): string {
  const hour = date.getUTCHours();
  const pad = (value: number) => String(value).padStart(2, '0');
  const day = `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}, ${date.getUTCFullYear()}${style === 'java8' || style === '24h' ? '' : ','}`;
  const rest = `${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  if (style === '24h') return `${day} ${pad(hour)}:${rest}`;
  return `${day} ${hour % 12 === 0 ? 12 : hour % 12}:${rest}${style === 'java20' ? '\u202f' : ' '}${hour < 12 ? 'AM' : 'PM'}`;
}

type Row = Record<string, unknown>;

interface Job {
  doneAt: number;
  /** The HTTP status of a failed job's answer; null for a job that succeeds (a queued job's checks may set it when its turn comes). */
  failStatus: number | null;
  expired: boolean;
  result: () => Row;
  onDone: () => void;
  done: boolean;
}

/** What a job on a backup group does when its turn comes: null, done; else the error its job fails with, nothing done. */
type GroupWork = () => { code: string; description: string } | null;

/** An in-memory ZStack management node: sessions, `q=` queries, asynchronous API jobs. */
export class ZstackSimulator extends ProviderSimulator {
  readonly vms: Row[] = [];
  readonly volumeBackups: Row[] = [];
  readonly sessions = new Set<string>();
  /** Every session a login handed out, alive or not: a test looks for any of them in answers and logs (`sessions` forgets expired ones). */
  readonly issuedSessions = new Set<string>();
  /** Calls refused for their session (ID.1001 or 401): a gateway that renews ahead of the end sends none. */
  sessionsRefused = 0;
  readonly jobs = new Map<string, Job>();
  /** Logins served (tests check that concurrent requests share one). */
  logins = 0;
  /** The password the account logs in with: a test changes it as an admin does in the panel, and back. */
  accountPassword = ZSTACK_SIM_PASSWORD;
  /**
   * The next job fails with this error, then jobs succeed again. `status` is
   * the poll's HTTP status: 503 as observed, or 200 as the API docs allow
   * ("error ... If not null, the operation failed"). A failed create's volume
   * backups are rolled back (removed) when the job ends.
   */
  failNextJob: { code: string; description: string; details: string; status?: number } | null = null;
  /**
   * The next job ends with ZStack's timeout, the API docs' own error example (SYS.1001 "A message
   * or a operation timeout"), answered 503, while its work goes on: the management node stopped
   * waiting for its agent, which finishes `workDoneAfterMs` after the job's end (a create's
   * backups stay Creating until then, then turn Ready; a delete's group goes then). failNextJob
   * plays a failure whose work is undone (a create's backups rolled back).
   */
  timeOutNextJob: { workDoneAfterMs: number } | null = null;
  /**
   * Whether a client-chosen job uuid (X-Job-UUID, RestConstants.HEADER_JOB_UUID
   * in zstackio/zstack's rest module: 32 characters, the message's own id) is
   * honoured. A node behind something that drops the header invents its own
   * job uuid, which only the 202's `location` names.
   */
  honourJobUuidHeader = true;
  /**
   * Calls finish at once: 200 with the result a job would end with (for a
   * create, the documented `{"inventories": [...]}`), instead of 202 and a
   * job. The adapter takes a 200 as done; this plays it.
   */
  answerAtOnce = false;
  /**
   * What a create's `resourceUuid` ("resourceUuid (Optional) String body", CreateVmBackup, since
   * 3.0.0) becomes the uuid of: the root volume's backup (ZStack gives a create message's
   * resourceUuid to the record it makes, here a volume backup), the group (the other reading),
   * or nothing (a node that ignores it).
   */
  resourceUuidTakenBy: 'root' | 'group' | 'nothing' = 'root';
  /** How a dead session is refused: as ZStack does (ID.1001: 503 to a query, a failing job otherwise), or 401 (a proxy). */
  sessionRefusal: 'zstack' | 'http401' = 'zstack';
  /** Sessions die just before the next write arrives (after the reads that led to it). */
  expireSessionsBeforeNextWrite = false;
  /** The JVM whose date format query answers carry (rows are kept in Java 8's): see ZstackDateStyle. */
  dateStyle: ZstackDateStyle = 'java8';
  /**
   * `volume-backups` queries drop their `vmInstanceUuid` conditions: a node
   * that ignores the per-VM filter. Not ZStack's documented behaviour; it
   * tests what the gateway makes of it.
   */
  ignoresVmFilter = false;
  /**
   * `volume-backups` rows come without `vmInstanceUuid`: the API docs' volume-backup field list
   * names no such field (`volumeUuid` only), so a node may leave it out, and a query conditioned on
   * it then matches nothing. Off, rows name their VM, as the simulator always wrote them.
   */
  omitsVmInstanceUuid = false;
  /**
   * `volume-backups` queries refuse a condition on a field the API docs' volume-backup inventory
   * does not list (`vmInstanceUuid` among them), as ZStack's query builder refuses a field its
   * inventory class lacks: SYS.1007 "condition name[...] is invalid, no such field on inventory
   * class[...]", a failed query's 503. Rows then come without the field too (the inventory has none).
   */
  refusesUnknownQueryFields = false;
  /** `volume-backups` rows come without `groupUuid`: volume backups outside any VM backup (ZStack's per-volume backups). */
  omitsGroupUuid = false;
  /**
   * `volume-backups` rows come without `type` (Root or Data): the API docs list it among a volume
   * backup's fields, yet CreateVmBackup's example answer carries none. Off, rows carry it.
   */
  omitsVolumeType = false;
  /**
   * `volume-backups` rows come without `mode`: the API docs' list of a volume backup's fields
   * (CreateVmBackup, #inventories) names none, though ZStack's SDK inventory (providers.md) has it.
   * Off, rows carry it (`Full`).
   */
  omitsMode = false;
  /**
   * Query answers without `sort` come in no particular order, a different one each time: ZStack
   * queries its database with `ORDER BY` only when `sort` is given, and without it the order is
   * whatever the database returns (it changes with plans and writes). Off, rows come in insertion
   * order, steadier than ZStack promises.
   */
  unsortedWithoutSort = false;
  /**
   * Plays a ZStack older than 3.5.0, SyncVmBackup's "Starting Version" in the API docs (the other
   * backup APIs start at 3.0.0): its path maps no API, and the REST server answers that itself.
   */
  olderThanSyncVmBackup = false;
  /**
   * What `DELETE vm-backups/{groupUuid}` does with a group ZStack no longer has. ZStack's own: the
   * job succeeds, nothing to do (DeleteVmBackup's handler, verifyGroupUuidForDelete: an empty
   * group publishes the success event, as APIParam's `successIfResourceNotExisting` does for its
   * other deletes). 'fails': the job fails with SYS.1003 "No volume backups found with group uuid"
   * (the check a revert makes, verifyGroupUuid), as a node checking the group for a delete too would.
   */
  missingGroupDelete: 'succeeds' | 'fails' = 'succeeds';
  /**
   * What a revert from a group still Creating, or one with a Failed volume, does. The API docs name
   * no status check for RevertVmFromVmBackup, so both readings: 'reverts' (the default, as before)
   * reverts the VM from what there is and the job succeeds; 'fails' fails the job (SYS.1006,
   * nothing reverted). The gateway sends neither (revertable-backup.ts); `reverts` counts what came.
   */
  unreadyRevert: 'reverts' | 'fails' = 'reverts';
  /** Reverts accepted (202), whatever their job then did. */
  reverts = 0;
  /**
   * Failed jobs answer their error under ZStack's wrapper, as its flows fail: `Platform.operr(cause,
   * ...)` makes an OPERATION_ERROR (SYS.1006, "An operation failed") whose `cause` ("The root
   * error", API docs) is the error the flow met. Off, the error is answered bare. A session
   * refusal is the API interceptor's own and stays bare either way.
   */
  wrapsJobErrors = false;
  /**
   * The image store every job names is gone (deleted at ZStack after the config named it): a
   * create or a revert is accepted (202) and its job fails with SYS.1003, nothing done, as a
   * missing group or volume fails it.
   */
  imageStoreGone = false;
  /**
   * A create whose parameters fail ZStack's checks (a name that is none or over 255 characters, an
   * image store that does not exist, a resourceUuid that is no uuid) is answered 400 at once, as the
   * simulator did before. ZStack's REST server accepts it (202) and its job fails with the check's
   * error (createParamRefusal); off, as ZStack does.
   */
  createChecksAtOnce = false;
  /**
   * A delete's job succeeds while its group stays listed Deleting, its volume backups never removed
   * from the image store: a node whose agent never reported the cleanup done. ZStack documents no
   * end to Deleting, so a delete judged by the list waits on it; off, the group goes with the job.
   */
  deletesStayDeleting = false;
  /** A deletion check of ZStack's cascade that refuses every Permissive delete (see deleteBackup); null: none refuses. */
  deletionCheckRefusal: SimZstackError | null = null;
  /**
   * The next write (any method but GET) answers 404 at once with this ZStack error body, whatever it
   * asked. ZStack's REST server accepts every non-query API (202) and fails its job instead, so this
   * plays a node or proxy that answers at once; the error may carry a `cause`, as ZStack's error
   * shape does ("The root error", API docs), ZStack's flows putting SYS.1003 under SYS.1006.
   */
  nextWriteNotFound: SimZstackError | null = null;
  /**
   * The next write answers 404 at once with this body whole: another server's JSON error, such as an
   * API gateway's `{"error": {"code": 404, "message": "Not Found"}}`, in front of no ZStack.
   */
  nextWriteForeignNotFound: Row | null = null;
  /**
   * Whether answers name a content type. ZStack's own do not: `RestServer.sendResponse` sets the
   * status and writes the body (its JSON, or plain words such as "the job has been expired")
   * with no `Content-Type`, and the API docs show none. Off by default, as ZStack answers; on, each
   * answer is labelled `application/json` (or `text/plain`), as the simulator did before and as a
   * proxy in front of ZStack may add. Fault answers keep their own labels either way.
   */
  namesContentType = false;
  /**
   * How an empty result is written: a job still running (its poll's 202), a delete's or a sync's
   * result. The API docs: "On success, this API returns an empty JSON structure {}" (DeleteVmBackup,
   * SyncVmBackup), and ZStack's RestServer has written every answer with Gson since November 2018
   * (`toJsonForHttpResponse`), an empty one as `{}`. Before that it wrote an empty body
   * (`response.isEmpty() ? "" : ...`), which `true` plays (the simulator wrote only that).
   */
  emptyResultsBare = false;
  /** The most rows a query page holds, whatever `limit` asked (a node, or a proxy, capping it lower); null: as asked. */
  pageCap: number | null = null;
  /**
   * Whether a query answers without `total` even when asked (`replyWithCount=true`): a node that
   * does not know the parameter, as one older than it does, leaves the count out.
   */
  omitsTotal = false;
  /** Seeds each unsorted answer's order: a different shuffle per query. */
  private unsortedAnswers = 0;
  /** Adds a virtual router: an appliance VM of ZStack's own, listed by `vm-instances` beside the users' VMs (`type` ApplianceVm). */
  addApplianceVm(): Row {
    const vm: Row = { uuid: uuid(), name: 'vrouter.l3.public', type: 'ApplianceVm', applianceVmType: 'vrouter', state: 'Running', rootVolumeUuid: uuid(), hypervisorType: 'KVM', createDate: zstackDate(new Date()) };
    this.vms.push(vm);
    return vm;
  }

  /**
   * Called before each `vm-instances` or `volume-backups` query is answered, with its route and
   * parameters: a test makes or removes rows between two pages, as other clients of a node do
   * while the gateway reads (a query's `start` is an offset into the list as it is then).
   */
  beforeQuery: ((route: string, params: URLSearchParams) => void) | null = null;

  /**
   * The VM list (a `vm-instances` query without a condition) answered 404 with this error in ZStack's
   * JSON shape: not ZStack's way with a query ("200, or 503 with {"error":…}", providers.md), but what
   * a url at the wrong place may answer (another node's route, a gateway in front that writes ZStack's
   * shape). Lookups by uuid answer as ever.
   */
  vmListNotFound: { code: string; description: string } | null = null;

  /**
   * An expired job's poll answered 404 with this error in ZStack's JSON shape, not the REST server's
   * plain words: a node that writes the expiry so, which the gateway reads as ZStack's own answer
   * about the job (expired-job-answers.ts), as it reads the words.
   */
  expiredJobError: { code: string; description: string } | null = null;

  /** The next query fails as ZStack documents: "503 with {"error":…}". */
  failNextQuery: { code: string; description: string } | null = null;

  constructor(options: SimulatorServerOptions & SimulatorSeedOptions = {}) {
    super('zstack', options);
  }

  /**
   * How long a session lives: ZStack's default session timeout (IdentityGlobalConfig
   * SESSION_TIMEOUT, 7200 s), the `expiredDate` a login answers. Tests set a short one and move
   * `clockOffsetMs` past it, no sleeps.
   */
  sessionLifetimeMs = 7_200_000;
  /**
   * The documents we have say nothing of whether a call renews its session. ZStack's own code
   * has read it both ways across versions (a fixed `expiredDate` from the login; renewed on each
   * API call), so both are played: false, the session dies `sessionLifetimeMs` after its login
   * whatever is asked; true, each call it answers starts its lifetime again.
   */
  sessionRenewedOnUse = false;
  /** Added to the wall clock wherever the simulator reads it for sessions: a test moves time on without waiting. */
  clockOffsetMs = 0;
  /** When each session from a login dies; a session a test added itself has none and lives on. */
  private readonly sessionExpiry = new Map<string, number>();

  private now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Whether ZStack still knows the session; one past its time is forgotten, as ZStack's expiry does. */
  private liveSession(session: string): boolean {
    const expiry = this.sessionExpiry.get(session);
    if (expiry !== undefined && this.now() >= expiry) {
      this.sessions.delete(session);
      this.sessionExpiry.delete(session);
    }
    if (!this.sessions.has(session)) return false;
    if (this.sessionRenewedOnUse && expiry !== undefined) this.sessionExpiry.set(session, this.now() + this.sessionLifetimeMs);
    return true;
  }

  /** Forgets every session, as a management node restart or session timeout does. */
  expireSessions(): void {
    this.sessions.clear();
    this.sessionExpiry.clear();
  }

  /**
   * The last job queued on each backup group. ZStack runs the operations on one resource one after
   * another, in arrival order: each is a ChainTask whose sync signature names the resource (the
   * open-source VolumeSnapshotGroupBase queues its group's delete and revert both under
   * "volumeSnapshotGroup-<uuid>"), so a revert and a delete of one group never run side by side, and
   * the later one's checks run only when its turn comes. The simulator ran them side by side, each
   * checked when it arrived: a revert accepted during a delete succeeded on a group the delete removed.
   */
  private readonly groupQueues = new Map<string, Job>();

  /** Every job still running is done now (a test holds jobs with a long asyncDelayMs, then lets them end). */
  finishJobs(): void {
    for (const job of this.jobs.values()) job.doneAt = Math.min(job.doneAt, Date.now());
    this.settleJobs();
  }

  /** Every job's result expires: only a finished job's does, so each one still running finishes its work first. */
  expireJobs(): void {
    for (const job of this.jobs.values()) {
      job.doneAt = Math.min(job.doneAt, Date.now());
      job.expired = true;
    }
    this.settleJobs();
  }

  /** Detaches a volume from whichever VM lists it and attaches it to `toVm`; its backups keep the VM they name. */
  moveVolume(volumeUuid: string, toVm: string): void {
    let moved: Row | undefined;
    for (const vm of this.vms) {
      const volumes = Array.isArray(vm.allVolumes) ? (vm.allVolumes as Row[]) : [];
      const index = volumes.findIndex((volume) => volume.uuid === volumeUuid);
      if (index >= 0) [moved] = volumes.splice(index, 1);
    }
    const target = this.vms.find((vm) => vm.uuid === toVm);
    if (!target || !moved) throw new Error('no such VM or volume');
    target.allVolumes = [...((target.allVolumes as Row[] | undefined) ?? []), moved];
  }

  seed({ instances = 6, backupsPerInstance = 4, seed = 23 }: SimulatorSeedOptions): void {
    const random = new SeededRandom(seed);
    for (let index = 0; index < instances; index++) {
      const vmUuid = random.hex(32);
      const root = random.hex(32);
      const data = random.hex(32);
      this.vms.push({
        uuid: vmUuid,
        name: `${SAMPLE_NAMES[(index + 5) % SAMPLE_NAMES.length]}-${index + 1}.lab`,
        state: index % 5 === 4 ? 'Stopped' : 'Running',
        type: 'UserVm',
        rootVolumeUuid: root,
        memorySize: 2 ** 31,
        cpuNum: 2,
        hypervisorType: 'KVM',
        allVolumes: [{ uuid: root, type: 'Root' }, { uuid: data, type: 'Data' }],
        createDate: zstackDate(new Date(Date.UTC(2017, 10, 1 + index, 10))),
      });
      const count = index === 0 ? 0 : backupsPerInstance;
      for (let n = 0; n < count; n++) {
        const group = random.hex(32);
        const created = zstackDate(index === 5 && n === count - 1 ? recent() : new Date(Date.UTC(2017, 10, 14, 22, 20 + n, 57)));
        this.volumeBackups.push(this.volumeBackup(group, vmUuid, root, 'Root', `vm-backup-${index + 1}-${n + 1}`, random.int(1, 8) * 2 ** 30, created, 'Ready'));
        this.volumeBackups.push(this.volumeBackup(group, vmUuid, data, 'Data', `vm-backup-${index + 1}-${n + 1}-data`, random.int(1, 4) * 2 ** 30, created, 'Ready'));
      }
    }
  }

  private volumeBackup(groupUuid: string, vmInstanceUuid: string, volumeUuid: string, type: string, name: string, size: number, createDate: string, status: string, volumeBackupUuid: string = uuid()): Row {
    return {
      uuid: volumeBackupUuid,
      volumeUuid,
      name,
      description: '',
      type,
      state: 'Enabled',
      status,
      size,
      groupUuid,
      mode: 'Full',
      vmInstanceUuid,
      createDate,
      lastOpDate: createDate,
      // Every field the API docs list for a ref (#backupStorageRefs); it lacked the volume backup's uuid and the dates.
      backupStorageRefs: [{ volumeBackupUuid, backupStorageUuid: ZSTACK_SIM_STORAGE, installPath: `/zstack_bs/backups/${groupUuid}`, status: 'Ready', createDate, lastOpDate: createDate }],
    };
  }

  /**
   * Jobs still to finish. A job's work is done when it is due, polled or not,
   * as a management node does it: a job whose result expired unread has
   * still made, deleted or reverted what it was asked to.
   */
  private readonly pendingJobs = new Set<Job>();

  private settleJobs(): void {
    const now = Date.now();
    for (const job of this.pendingJobs) {
      if (now < job.doneAt) continue;
      this.pendingJobs.delete(job);
      if (!job.done) {
        job.done = true;
        job.onDone();
      }
    }
  }

  protected handle(request: SimRequest): SimResponse {
    const answered = this.answerRequest(request);
    return this.namesContentType ? answered : { ...answered, untyped: true };
  }

  private answerRequest(request: SimRequest): SimResponse {
    this.settleJobs();
    const path = request.segments.join('/');
    request.label = `${request.method} /${path.replace(/[0-9a-f]{32}/g, ':uuid')}`;
    if (!path.startsWith('zstack/v1/')) return noApiMapping(path);
    const route = path.slice('zstack/v1/'.length);
    if (request.method === 'PUT' && route === 'accounts/login') return this.login(request);
    let match: RegExpExecArray | null;
    // ZStack's REST server answers job polls before, and without, any credential check.
    if (request.method === 'GET' && (match = /^api-jobs\/([0-9a-f]{32})$/.exec(route))) return this.job(match[1] as string);
    if (this.expireSessionsBeforeNextWrite && request.method !== 'GET') {
      this.expireSessionsBeforeNextWrite = false;
      this.expireSessions();
    }
    // ZStack's REST server finds the path's API before it asks for a session: a path no API maps
    // (`/zstack/v1` written twice) is its 404, never "missing header" (read as a refused login).
    if (!ZSTACK_API_ROUTES.some(([method, pattern]) => request.method === method && pattern.test(route))) return noApiMapping(path);
    const auth = /^OAuth (\S+)$/.exec(String(request.headers.authorization ?? ''));
    if (!auth) return restRefusal("missing header 'Authorization'");
    const jobUuidRefused = request.method === 'GET' ? null : this.jobUuidRefusal(request);
    if (jobUuidRefused) return jobUuidRefused;
    if (!this.liveSession(auth[1] as string)) return this.refuseSession(request);

    if (request.method === 'GET' && route === 'volume-backups' && this.failNextQuery) {
      const error = this.failNextQuery;
      this.failNextQuery = null;
      return { status: 503, json: { error } };
    }
    if (request.method !== 'GET' && this.nextWriteForeignNotFound) {
      const json = this.nextWriteForeignNotFound;
      this.nextWriteForeignNotFound = null;
      return { status: 404, json };
    }
    if (request.method !== 'GET' && this.nextWriteNotFound) {
      const error = this.nextWriteNotFound;
      this.nextWriteNotFound = null;
      return { status: 404, json: { error } };
    }
    if (request.method === 'GET' && (route === 'vm-instances' || route === 'volume-backups')) this.beforeQuery?.(route, request.query);
    if (request.method === 'GET' && route === 'vm-instances' && this.vmListNotFound && !request.query.has('q')) return { status: 404, json: { error: this.vmListNotFound } };
    if (request.method === 'GET' && route === 'vm-instances') return query(this.vms, request.query, this.queryStyle());
    if (request.method === 'GET' && route === 'volume-backups') {
      const params = this.ignoresVmFilter ? withoutVmConditions(request.query) : request.query;
      if (this.refusesUnknownQueryFields) {
        const unknown = unknownConditionField(params, VOLUME_BACKUP_FIELDS);
        if (unknown !== null) return { status: 503, json: { error: noSuchField(unknown, 'org.zstack.header.storage.backup.VolumeBackupInventory') } };
      }
      const omitted = [...(this.omitsVmInstanceUuid || this.refusesUnknownQueryFields ? ['vmInstanceUuid'] : []), ...(this.omitsGroupUuid ? ['groupUuid'] : []), ...(this.omitsVolumeType ? ['type'] : []), ...(this.omitsMode ? ['mode'] : [])];
      return query(omitted.length === 0 ? this.volumeBackups : this.volumeBackups.map((row) => withoutFields(row, omitted)), params, this.queryStyle());
    }
    if (request.method === 'POST' && (match = /^volumes\/([0-9a-f]{32})\/vm-backups$/.exec(route))) return this.createBackup(request, match[1] as string);
    if (request.method === 'DELETE' && (match = /^vm-backups\/([0-9a-f]{32})$/.exec(route))) return this.deleteBackup(request, match[1] as string);
    if (request.method === 'PUT' && (match = /^vm-backups\/imageStore\/([0-9a-f]{32})\/actions$/.exec(route))) {
      if (this.olderThanSyncVmBackup) return noApiMapping(path);
      if (!(request.json as Row | undefined)?.syncVmBackup) return badBody();
      // SyncVmBackup: "On success, this API returns an empty JSON structure {}" (API docs); it
      // answered `{"success": true}`, a revert's result.
      return this.startJob(request, () => ({}), () => {});
    }
    if (request.method === 'PUT' && (match = /^vm-backups\/([0-9a-f]{32})\/actions$/.exec(route))) return this.revert(request, match[1] as string);
    return noApiMapping(path);
  }

  /**
   * ZStack's `{"error": {code, description, details}}`. A login quotes the
   * password hash, even as the code (seen on a real management node); other
   * calls quote the OAuth session.
   */
  protected echo(request: SimRequest): SimResponse {
    const login = (request.json as { logInByAccount?: { accountName?: unknown; password?: unknown } } | undefined)?.logInByAccount;
    if (login) {
      const hash = String(login.password);
      return { status: 400, json: { error: { code: hash, description: `wrong password ${hash} for account ${String(login.accountName)}`, details: `logInByAccount(${JSON.stringify(login)})` } } };
    }
    const header = String(request.headers.authorization ?? '');
    return { status: 400, json: { error: { code: 'SYS.1006', description: `the operation is not permitted for ${header}`, details: `headers: ${JSON.stringify(request.headers)}` } } };
  }

  private login(request: SimRequest): SimResponse {
    const body = (request.json as { logInByAccount?: { accountName?: unknown; password?: unknown } } | undefined)?.logInByAccount;
    const expected = createHash('sha512').update(this.accountPassword).digest('hex');
    // A login is a synchronous API: refused as ZStack refuses any, "503 with {"error":…}", here IdentityErrors.AUTHENTICATION_ERROR.
    if (body?.accountName !== ZSTACK_SIM_ACCOUNT || body.password !== expected) return { status: 503, json: { error: { code: 'ID.1000', description: 'wrong account name or password' } } };
    this.logins += 1;
    const session = uuid();
    const expiry = this.now() + this.sessionLifetimeMs;
    this.sessions.add(session);
    this.issuedSessions.add(session);
    this.sessionExpiry.set(session, expiry);
    return { status: 200, json: { inventory: { uuid: session, accountUuid: uuid(), userUuid: uuid(), expiredDate: zstackDate(new Date(expiry)), createDate: zstackDate(new Date(this.now())) } } };
  }

  /**
   * A session ZStack no longer knows. Its REST server checks none itself; the
   * API's interceptor refuses it with IdentityErrors.INVALID_SESSION
   * ("ID.1001"), answered as any failed API is: a query (synchronous) with
   * 503 `{"error": ...}`, any other call with its 202 and a job that fails
   * with that error, nothing done. `sessionRefusal: 'http401'` plays a proxy
   * in front of ZStack that answers 401 instead.
   */
  private refuseSession(request: SimRequest): SimResponse {
    this.sessionsRefused += 1;
    const error = { code: 'ID.1001', description: 'Session expired' };
    if (this.sessionRefusal === 'http401') return { status: 401, json: { error } };
    if (request.method === 'GET') return { status: 503, json: { error } };
    const jobUuid = this.clientJobUuid(request) ?? uuid();
    this.jobs.set(jobUuid, { doneAt: Date.now(), failStatus: 503, expired: false, result: () => ({ error }), onDone: () => {}, done: false });
    return { status: 202, json: { location: `${this.url}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
  }

  /**
   * ZStack's REST server checks the client-chosen job uuid before any API runs (RestServer, the copy
   * providers.md cites): not 32 characters, 400 "Invalid header[X-Job-UUID], it must be a UUID with
   * '-' stripped"; on a POST, PUT or DELETE, one a job already has, 400 "Duplicate job uuid[...]"
   * (providers.md: "duplicates are refused"), plain words as any RestException. A request sent
   * again with its job uuid starts nothing and is refused; the simulator answered the first job's
   * 202 again, which ZStack does not. A job whose result expired has left ZStack's records.
   */
  private jobUuidRefusal(request: SimRequest): SimResponse | null {
    const header = request.headers['x-job-uuid'];
    if (!this.honourJobUuidHeader || typeof header !== 'string') return null;
    if (header.length !== 32) return restRefusal("Invalid header[X-Job-UUID], it must be a UUID with '-' stripped");
    const job = this.jobs.get(header);
    return job && !job.expired ? restRefusal(`Duplicate job uuid[${header}]`) : null;
  }

  /** The client-chosen job uuid, when this node honours the header. */
  private clientJobUuid(request: SimRequest): string | null {
    const header = request.headers['x-job-uuid'];
    return this.honourJobUuidHeader && typeof header === 'string' && /^[0-9a-f]{32}$/.test(header) ? header : null;
  }

  /** "Non-query APIs answer 202 with {"location":"http://…/zstack/v1/api-jobs/{jobUuid}"}" (a job uuid already taken was refused before: jobUuidRefusal). */
  private startJob(request: SimRequest, result: () => Row, onDone: () => void, onFail: () => void = () => {}): SimResponse {
    if (this.answerAtOnce) {
      onDone();
      return this.answer(200, result());
    }
    const jobUuid = this.clientJobUuid(request) ?? uuid();
    if (!this.jobs.has(jobUuid) && this.timeOutNextJob) {
      this.startTimedOutJob(jobUuid, onDone);
    } else if (!this.jobs.has(jobUuid)) {
      const fail = this.failNextJob;
      this.failNextJob = null;
      const { status: failStatus = 503, ...error } = fail ?? {};
      const job: Job = {
        doneAt: Date.now() + this.asyncDelayMs,
        failStatus: fail ? failStatus : null,
        expired: false,
        // The error field "is null when the operation succeeds": Gson leaves a null out.
        result: fail ? () => ({ error }) : result,
        onDone: fail ? onFail : onDone,
        done: false,
      };
      this.jobs.set(jobUuid, job);
      this.pendingJobs.add(job);
    }
    return { status: 202, json: { location: `${this.url}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
  }

  /**
   * A job that ends with the timeout (timeOutNextJob) while its work goes on, done when the work,
   * a job of its own that nobody polls, comes due.
   */
  private startTimedOutJob(jobUuid: string, work: () => void): void {
    const { workDoneAfterMs } = this.timeOutNextJob ?? { workDoneAfterMs: 0 };
    this.timeOutNextJob = null;
    const doneAt = Date.now() + this.asyncDelayMs;
    const error = { code: 'SYS.1001', description: 'A message or a operation timeout', details: 'Create VM on KVM timeout after 300s' };
    const job: Job = { doneAt, failStatus: 503, expired: false, result: () => ({ error }), onDone: () => {}, done: false };
    this.jobs.set(jobUuid, job);
    this.pendingJobs.add(job);
    this.pendingJobs.add({ doneAt: doneAt + workDoneAfterMs, failStatus: null, expired: false, result: () => ({}), onDone: work, done: false });
  }

  /** A result as RestServer writes it: JSON, an empty one `{}` (an empty body where `emptyResultsBare`). */
  private answer(status: number, body: Row): SimResponse {
    return this.emptyResultsBare && Object.keys(body).length === 0 ? { status, text: '' } : { status, json: body };
  }

  private job(jobUuid: string): SimResponse {
    const job = this.jobs.get(jobUuid);
    // ZStack's REST server writes this one as plain text, not as its JSON error.
    if (!job || job.expired) return this.expiredJobError ? { status: 404, json: { error: this.expiredJobError } } : { status: 404, text: 'the job has been expired' };
    // RestServer.handleJobQuery: a job still processing is a 202 with an empty ApiResponse, `{}`
    // (an empty body from a node older than November 2018: emptyResultsBare).
    if (Date.now() < job.doneAt) return this.answer(202, {});
    if (!job.done) {
      job.done = true;
      job.onDone();
    }
    const result = job.result();
    return this.answer(job.failStatus ?? 200, this.wrapsJobErrors ? wrappedError(result) : result);
  }

  private createBackup(request: SimRequest, rootVolumeUuid: string): SimResponse {
    const params = (request.json as { params?: { backupStorageUuid?: unknown; name?: unknown; description?: unknown; resourceUuid?: unknown } } | undefined)?.params;
    // A body the REST server cannot turn into the API message is its own refusal (RestException, plain words).
    if (params === null || typeof params !== 'object') return restRefusal("the body doesn't contain params");
    // The parameters' checks (APIParam: required, maxLength 255, a resource uuid that exists)
    // run in the API's interceptors once the message is sent, after the 202: the job fails with
    // the check's error, nothing made. The simulator refused them at once (400), which ZStack's
    // REST server does not; `createChecksAtOnce` keeps that answer for a node behind a proxy that
    // checks (the API docs name no synchronous check, so it is off).
    const refused = createParamRefusal(params, this.session(request));
    if (refused && this.createChecksAtOnce) return badBody();
    if (refused) return this.startFailingJob(request, refused);
    // Checked by createParamRefusal: a 32-character uuid when given.
    const resourceUuid = params.resourceUuid as string | undefined;
    // The volume is ZStack's, whatever the VM row shows of it: a row whose `rootVolumeUuid` is blank still lists it in `allVolumes`.
    const vm = this.vms.find((item) => item.rootVolumeUuid === rootVolumeUuid || isRootVolumeOf(item, rootVolumeUuid));
    // Accepted (202) as every non-query API is (RestServer: only sync-call APIs answer at once);
    // a resource the API cannot find fails its job (SysErrors.RESOURCE_NOT_FOUND). It was a 404.
    if (!vm) return this.startFailingJob(request, { code: 'SYS.1003', description: `cannot find volume[uuid:${rootVolumeUuid}]` });
    if (this.imageStoreGone) return this.startFailingJob(request, imageStoreNotFound());
    const chosen = this.resourceUuidTakenBy === 'nothing' ? undefined : resourceUuid;
    const group = (this.resourceUuidTakenBy === 'group' ? chosen : undefined) ?? uuid();
    const created = zstackDate(new Date());
    const volumes = (vm.allVolumes as Array<{ uuid: string; type: string }>).map((volume) => {
      const takesChosen = this.resourceUuidTakenBy === 'root' && chosen !== undefined && volume.type === 'Root';
      return this.volumeBackup(group, String(vm.uuid), volume.uuid, volume.type, volume.type === 'Root' ? (params.name as string) : `${params.name as string}-data`, 2 ** 30, created, 'Creating', takesChosen ? chosen : undefined);
    });
    this.volumeBackups.push(...volumes);
    // A failed create leaves no backup: ZStack's flows roll back what they made (FlowChain
    // rollback), so its volume backups are not listed as Creating for ever.
    return this.startJob(
      request,
      () => ({ inventories: this.omitsVolumeType ? volumes.map((volume) => withoutFields(volume, ['type'])) : volumes }),
      () => {
        for (const volume of volumes) volume.status = 'Ready';
      },
      () => {
        for (let index = this.volumeBackups.length - 1; index >= 0; index--) if (volumes.includes(this.volumeBackups[index] as Row)) this.volumeBackups.splice(index, 1);
      },
    );
  }

  /**
   * `DELETE vm-backups/{groupUuid}?backupStorageUuids=...`: the backup leaves
   * the image stores named (every store without the parameter, which the docs
   * mark optional); its volume backups go once no store holds them. Naming no
   * store that holds it fails the job, nothing done.
   */
  private queryStyle(): QueryStyle {
    return { dateStyle: this.dateStyle, pageCap: this.pageCap, omitsTotal: this.omitsTotal, shuffle: this.unsortedWithoutSort ? new SeededRandom(++this.unsortedAnswers) : null };
  }

  private deleteBackup(request: SimRequest, groupUuid: string): SimResponse {
    // `deleteMode` (API docs: optional, no values named) is APIDeleteMessage's deletion mode:
    // Permissive (the default) or Enforcing, checked as any APIParam's validValues once the API
    // runs (202, a failing job). The simulator ignored it, and any word deleted.
    const mode = request.query.get('deleteMode') ?? 'Permissive';
    if (mode !== 'Permissive' && mode !== 'Enforcing') return this.startFailingJob(request, { code: 'SYS.1007', description: `valid value for field[deleteMode] of message[APIDeleteVmBackupMsg] are [Permissive, Enforcing], but ${mode} found` });
    // Permissive runs the cascade's deletion checks first, and one that refuses fails the job,
    // nothing deleted; Enforcing skips them. Which checks ZStack runs for a VM backup the documents
    // do not say, so `deletionCheckRefusal` plays one refusing (null: none does).
    if (mode === 'Permissive' && this.deletionCheckRefusal) return this.startFailingJob(request, this.deletionCheckRefusal);
    const volumes = this.volumeBackups.filter((volume) => volume.groupUuid === groupUuid);
    if (volumes.length === 0) {
      // Accepted (202) as every non-query API is (RestServer.sendMessage); the handler answers in the job.
      if (this.missingGroupDelete === 'fails') return this.startFailingJob(request, { code: 'SYS.1003', description: `No volume backups found with group uuid: ${groupUuid}` });
      return this.startJob(request, () => ({}), () => {});
    }
    // Each value of the repeated parameter is one uuid: RestServer reads a List field of a DELETE's
    // query as `for (String v : vals) lst.add(...)`, no split, so `a,b` is one uuid naming no store.
    // The simulator split it, and took a comma-joined list no ZStack reads as two stores.
    const named = request.query.getAll('backupStorageUuids');
    if (named.length > 0 && !named.some((store) => storesOf(volumes[0] as Row).includes(store))) return this.startFailingJob(request, notOnStore(groupUuid));
    // Queued behind the group's other operations (a revert running): it deletes what the group holds when its turn comes.
    return this.startGroupJob(request, groupUuid, () => ({}), () => {
      const left = this.volumeBackups.filter((volume) => volume.groupUuid === groupUuid);
      if (this.deletesStayDeleting) {
        for (const volume of left) volume.status = 'Deleting';
        return null;
      }
      for (const volume of left) volume.backupStorageRefs = named.length === 0 ? [] : refsOf(volume).filter((ref) => !named.includes(String(ref.backupStorageUuid)));
      for (let index = this.volumeBackups.length - 1; index >= 0; index--) {
        const volume = this.volumeBackups[index] as Row;
        if (volume.groupUuid === groupUuid && refsOf(volume).length === 0) this.volumeBackups.splice(index, 1);
      }
      return null;
    });
  }

  /**
   * A job on a backup group, queued behind the group's job still running (groupQueues): it starts
   * when that one ends and takes `asyncDelayMs` from then; `work` runs, and checks, at its end.
   */
  private startGroupJob(request: SimRequest, groupUuid: string, result: () => Row, work: GroupWork): SimResponse {
    if (this.answerAtOnce) {
      const error = work();
      return this.answer(error ? 503 : 200, error ? { error } : result());
    }
    const jobUuid = this.clientJobUuid(request) ?? uuid();
    if (this.jobs.has(jobUuid)) return { status: 202, json: { location: `${this.url}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
    if (this.timeOutNextJob) {
      this.startTimedOutJob(jobUuid, () => void work());
      return { status: 202, json: { location: `${this.url}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
    }
    const ahead = this.groupQueues.get(groupUuid);
    const startsAt = ahead && !ahead.done ? ahead.doneAt : Date.now();
    const fail = this.failNextJob;
    this.failNextJob = null;
    const { status: failStatus = 503, ...failure } = fail ?? {};
    const job: Job = { doneAt: startsAt + this.asyncDelayMs, failStatus: fail ? failStatus : null, expired: false, result: fail ? () => ({ error: failure }) : result, onDone: () => {}, done: false };
    job.onDone = () => {
      if (this.groupQueues.get(groupUuid) === job) this.groupQueues.delete(groupUuid);
      if (fail) return;
      const error = work();
      if (!error) return;
      job.failStatus = 503;
      job.result = () => ({ error });
    };
    this.jobs.set(jobUuid, job);
    this.pendingJobs.add(job);
    this.groupQueues.set(groupUuid, job);
    return { status: 202, json: { location: `${this.url}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
  }

  /** The OAuth session a request carries (checked before any API runs). */
  private session(request: SimRequest): string {
    return /^OAuth (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';
  }

  /** An API its checks refuse once it runs: accepted (202), its job failing with `error`, nothing done. */
  private startFailingJob(request: SimRequest, error: { code: string; description: string; details?: string }): SimResponse {
    const jobUuid = this.clientJobUuid(request) ?? uuid();
    if (!this.jobs.has(jobUuid)) this.jobs.set(jobUuid, { doneAt: Date.now(), failStatus: 503, expired: false, result: () => ({ error }), onDone: () => {}, done: false });
    return { status: 202, json: { location: `${this.url}/zstack/v1/api-jobs/${jobUuid}`, apiTimeout: 1_800_000 } };
  }

  private revert(request: SimRequest, groupUuid: string): SimResponse {
    const body = request.json as { revertVmFromVmBackup?: { backupStorageUuid?: unknown } } | undefined;
    if (!body?.revertVmFromVmBackup) return restRefusal(`the body doesn't contain action mapping to the URL[/v1/vm-backups/${groupUuid}/actions]`);
    const root = this.volumeBackups.find((volume) => volume.groupUuid === groupUuid);
    // Accepted (202), its job failing as RevertVmFromVmBackup's handler does (verifyGroupUuid). It was a 404.
    if (!root) return this.startFailingJob(request, groupNotFound(groupUuid));
    if (this.imageStoreGone) return this.startFailingJob(request, imageStoreNotFound());
    // The revert reads the backup from the image store named: one that does not hold it fails the job.
    this.reverts += 1;
    if (!storesOf(root).includes(String(body.revertVmFromVmBackup.backupStorageUuid))) return this.startFailingJob(request, notOnStore(groupUuid));
    const unready = this.volumeBackups.some((volume) => volume.groupUuid === groupUuid && (volume.status === 'Creating' || volume.status === 'Failed'));
    if (unready && this.unreadyRevert === 'fails') return this.startFailingJob(request, { code: 'SYS.1006', description: 'An operation failed', details: `volume backup group[uuid:${groupUuid}] is not Ready` });
    // Queued behind a delete of the group still running, the revert checks the group again when its
    // turn comes (verifyGroupUuid) and fails SYS.1003 if the delete took it, nothing reverted.
    return this.startGroupJob(request, groupUuid, () => ({ success: true }), () => (this.volumeBackups.some((volume) => volume.groupUuid === groupUuid) ? null : groupNotFound(groupUuid)));
  }
}


/**
 * What CreateVmBackup's parameter checks refuse (ApiMessageProcessor, from the message's APIParam
 * annotations): `name` required, at most 255 characters; `backupStorageUuid` a BackupStorageVO
 * that exists (SysErrors.RESOURCE_NOT_FOUND); `resourceUuid`, when given, a 32-character uuid.
 * The details quote the message as ZStack's errors do, its session included: hostile words the
 * gateway must scrub. Null: the parameters pass.
 */
function createParamRefusal(params: Record<string, unknown>, session: string): { code: string; description: string; details: string } | null {
  const quoted = `APICreateVmBackupMsg${JSON.stringify({ ...params, session: { uuid: session } })}`;
  const { name, backupStorageUuid, resourceUuid } = params;
  if (typeof name !== 'string' || name === '') return { code: 'SYS.1007', description: 'field[name] of message[APICreateVmBackupMsg] is mandatory, can not be null', details: quoted };
  if (name.length > 255) return { code: 'SYS.1007', description: `field[name] of message[APICreateVmBackupMsg] exceeds max length of string. expected was <= 255, actual was ${name.length}`, details: quoted };
  if (backupStorageUuid !== ZSTACK_SIM_STORAGE) return { code: 'SYS.1003', description: `invalid field[backupStorageUuid], resource[uuid:${String(backupStorageUuid)}, type:BackupStorageVO] not found`, details: quoted };
  if (resourceUuid !== undefined && (typeof resourceUuid !== 'string' || !/^[0-9a-f]{32}$/.test(resourceUuid))) return { code: 'SYS.1007', description: `invalid resourceUuid[${String(resourceUuid)}], it must be a UUID with '-' stripped`, details: quoted };
  return null;
}

/** ZStack's error shape (API docs: code, description, and `cause`, the error under it). */
interface SimZstackError {
  code: string;
  description: string;
  /** "A reserved field. The default value is null" (API docs); ZStack fills it with its error elaboration. */
  elaboration?: string;
  cause?: SimZstackError;
}

/** A failed job's result with its error under ZStack's OPERATION_ERROR (see wrapsJobErrors); anything else as it is. */
function wrappedError(result: Row): Row {
  const error = result.error as { code?: unknown } | undefined;
  if (!error || error.code === 'ID.1001') return result;
  return { ...result, error: { code: 'SYS.1006', description: 'An operation failed', details: 'the flow failed, see its cause', cause: error } };
}

/** A volume backup's `backupStorageRefs`, the image stores holding it. */
const refsOf = (volume: Row): Row[] => (Array.isArray(volume.backupStorageRefs) ? (volume.backupStorageRefs as Row[]) : []);
const storesOf = (volume: Row): string[] => refsOf(volume).map((ref) => String(ref.backupStorageUuid));
const groupNotFound = (groupUuid: string) => ({ code: 'SYS.1003', description: `No volume backups found with group uuid: ${groupUuid}` });
const imageStoreNotFound = () => ({ code: 'SYS.1003', description: 'cannot find image store' });
const notOnStore = (groupUuid: string) => ({ code: 'SYS.1007', description: `the image store named does not hold VM backup ${groupUuid}` });

/**
 * ZStack's REST server refusing a request it cannot read (its RestException: no Authorization
 * header, a query condition without an operator, a PUT body naming no action, a job uuid header
 * that is no 32-character uuid): 400 with the words as plain text, not the API's `{"error": ...}`.
 */
const restRefusal = (words: string): SimResponse => ({ status: 400, text: words });

/**
 * A path no API maps: ZStack's REST server answers it itself, before any API runs, in plain text
 * (RestServer.handle: `sendResponse(NOT_FOUND, String.format("no api mapping to %s", path))`).
 */
const noApiMapping = (path: string): SimResponse => ({ status: 404, text: `no api mapping to /${path}` });

/** The APIs the simulator maps after `zstack/v1/` and behind a session (the login and job polls come before any). */
const ZSTACK_API_ROUTES: ReadonlyArray<readonly [string, RegExp]> = [
  ['GET', /^vm-instances$/],
  ['GET', /^volume-backups$/],
  ['POST', /^volumes\/[0-9a-f]{32}\/vm-backups$/],
  ['DELETE', /^vm-backups\/[0-9a-f]{32}$/],
  ['PUT', /^vm-backups\/imageStore\/[0-9a-f]{32}\/actions$/],
  ['PUT', /^vm-backups\/[0-9a-f]{32}\/actions$/],
];
const badBody = (): SimResponse => ({ status: 400, json: { error: { code: 'SYS.1007', description: 'invalid request body', details: 'java.lang.IllegalArgumentException at /opt/zstack/internal' } } });

/** The query without its per-VM conditions, by `vmInstanceUuid` or by `volumeUuid` (ignoresVmFilter). */
function withoutVmConditions(params: URLSearchParams): URLSearchParams {
  const kept = new URLSearchParams();
  for (const [name, value] of params) if (!(name === 'q' && (value.startsWith('vmInstanceUuid') || value.startsWith('volumeUuid')))) kept.append(name, value);
  return kept;
}

/** Whether a VM row lists `volumeUuid` among its volumes as its root volume. */
const isRootVolumeOf = (vm: Row, volumeUuid: string): boolean =>
  Array.isArray(vm.allVolumes) && (vm.allVolumes as Row[]).some((volume) => volume.uuid === volumeUuid && volume.type === 'Root');

/** A volume backup row without these fields (omitsVmInstanceUuid, omitsGroupUuid, omitsVolumeType). */
function withoutFields(row: Row, fields: readonly string[]): Row {
  const rest = { ...row };
  for (const field of fields) delete rest[field];
  return rest;
}

/** The volume-backup fields the API docs list (CreateVmBackup's inventories): no `vmInstanceUuid`. */
const VOLUME_BACKUP_FIELDS: ReadonlySet<string> = new Set(['uuid', 'name', 'description', 'volumeUuid', 'type', 'state', 'status', 'size', 'groupUuid', 'mode', 'metadata', 'backupStorageRefs', 'createDate', 'lastOpDate']);

/** The first `q=` condition's field the inventory lacks, or null. */
function unknownConditionField(params: URLSearchParams, fields: ReadonlySet<string>): string | null {
  for (const condition of params.getAll('q')) {
    const field = /^([A-Za-z]+)/.exec(condition)?.[1];
    if (field !== undefined && !fields.has(field)) return field;
  }
  return null;
}

/** ZStack's query builder refusing a condition on a field its inventory lacks (MysqlQueryBuilderImpl3). */
const noSuchField = (field: string, inventory: string) => ({
  code: 'SYS.1007',
  description: 'One or more API argument is invalid',
  details: `condition name[${field}] is invalid, no such field on inventory class[${inventory}]`,
});

/** How a query answer is written: the JVM's date format, a page cap, whether `total` is left out, and the order of rows when no `sort` is sent (null: insertion order). */
interface QueryStyle {
  dateStyle: ZstackDateStyle;
  pageCap: number | null;
  omitsTotal: boolean;
  shuffle: SeededRandom | null;
}

/**
 * `sort=+field` (ascending) or `-field` (descending); a bare field ascends. ZStack's Java SDK
 * writes a QueryAction's `sortBy` and `sortDirection` so (ZSClient: "asc" as `+`, else `-`).
 * Values are compared as text: right for uuids and names, not for ZStack's dates.
 */
function sorted(rows: Row[], sort: string): Row[] {
  const descending = sort.startsWith('-');
  const field = sort.replace(/^[+-]/, '');
  const text = (row: Row) => String(row[field] ?? '');
  return [...rows].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0) * (descending ? -1 : 1));
}

function shuffled(rows: Row[], random: SeededRandom): Row[] {
  const out = [...rows];
  for (let index = out.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [out[index], out[other]] = [out[other] as Row, out[index] as Row];
  }
  return out;
}

/** `q=` conditions (ANDed): `=`, `!=`, `?=` (IN), `~=` (LIKE with %); then sort, start/limit/replyWithCount. */
function query(rows: Row[], params: URLSearchParams, style: QueryStyle): SimResponse {
  const { dateStyle } = style;
  let result = rows;
  for (const condition of params.getAll('q')) {
    const match = /^([A-Za-z]+)(\?=|!=|~=|=)(.*)$/.exec(condition);
    if (!match) return restRefusal(`Invalid query parameter. The '${condition}' in the parameter[q] doesn't contain any query operator`);
    const [, field, op, value] = match as unknown as [string, string, string, string];
    const values = new Set(value.split(','));
    const like = new RegExp(`^${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*')}$`);
    result = result.filter((row) => {
      const actual = String(row[field] ?? '');
      if (op === '=') return actual === value;
      if (op === '!=') return actual !== value;
      if (op === '?=') return values.has(actual);
      return like.test(actual);
    });
  }
  const sort = params.get('sort');
  if (sort) result = sorted(result, sort);
  else if (style.shuffle) result = shuffled(result, style.shuffle);
  const start = Number(params.get('start') ?? 0) || 0;
  const limit = Math.min(Number(params.get('limit') ?? 1000) || 1000, style.pageCap ?? Infinity);
  const page = result.slice(start, start + limit).map((row) => (dateStyle === 'java8' ? row : restyleDates(row, dateStyle)));
  return { status: 200, json: params.get('replyWithCount') === 'true' && !style.omitsTotal ? { inventories: page, total: result.length } : { inventories: page } };
}

const JAVA8_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/;

/** A row's dates, kept in Java 8's form, as another JVM writes them (its image store refs' too: one Gson writes them all). */
function restyleDates(row: Row, style: ZstackDateStyle): Row {
  const out: Row = { ...row };
  if (Array.isArray(row.backupStorageRefs)) out.backupStorageRefs = (row.backupStorageRefs as Row[]).map((ref) => restyleDates(ref, style));
  for (const field of ['createDate', 'lastOpDate']) {
    const match = typeof row[field] === 'string' ? JAVA8_DATE.exec(row[field]) : null;
    if (!match) continue;
    const [, month, day, year, hour, minute, second, meridiem] = match as unknown as [string, string, string, string, string, string, string, string];
    const hour24 = (Number(hour) % 12) + (meridiem === 'PM' ? 12 : 0);
    out[field] = zstackDate(new Date(Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), hour24, Number(minute), Number(second))), style);
  }
  return out;
}
