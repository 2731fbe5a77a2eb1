import { SAMPLE_NAMES, SAMPLE_OS, SeededRandom, type SimulatorSeedOptions } from '../../simulator/random.js';
import { ProviderSimulator, type SimRequest, type SimResponse, type SimulatorServerOptions } from '../../simulator/server.js';

/** The sixth instance's newest backup is an hour old, so the demo has PROTECTED instances (the other seeded dates are years old). */
const recent = (): Date => new Date(Date.now() - 60 * 60 * 1000);

/** Credentials the simulator accepts: a session token, or authinfo user:password. */
export const ZOMRO_SIM_TOKEN = 'sim-zomro-token-3f9a1c';
export const ZOMRO_SIM_USER = 'sim-user@example.com';
export const ZOMRO_SIM_PASSWORD = 'sim-zomro-password-7d2e';

/** Most backups one instance may hold, as Zomro's plans limit them. */
const MAX_BACKUPS_PER_INSTANCE = 10;

interface SimInstance {
  id: string;
  servername: string;
  instance_status: string;
  datacentername: string;
  createdate: string;
  ip: string;
  rebuildUntil: number;
  /** The image (`fleio_id`) the instance's last rebuild reads. */
  rebuildImage?: string;
  /** The last rebuild lost its image mid-way (rebuildOfDeletedImage 'fails'): the cloud shows the instance in error. */
  rebuildFailed?: boolean;
  /** Deleted in billing, still listed (listsDeletedItems). */
  deleted?: boolean;
  /** A task other than a rebuild under way (startTask): its word shown until `until`. */
  task?: SimTask;
}

/** A task the cloud carries out on an instance, or a mode it rests in until a person ends it. */
interface SimTask {
  /** The cloud's word for it (`fotbo_status`): resizing, resized, rebooting, rescued, ... */
  word: string;
  /** `instance_status` meanwhile, where billing has a word for it (`verify_resize`); else the resting word stays. */
  billingWord?: string;
  until: number;
}

interface SimBackup {
  id: string;
  instanceId: string;
  name: string;
  fleio_id: string;
  createdate: string;
  image_size: string;
  min_disk: string;
  min_ram: string;
  os: readonly [string, string];
  protected: 'on' | 'off';
  backup_type: string;
  region: string;
  /** Saving until this time, then Active; a fixed word overrides. */
  readyAt: number;
  fixedStatus?: string;
  /** Deleted in billing, still listed (listsDeletedItems). */
  deleted?: boolean;
  /** A delete under way until this time (deleteDelayMs): listed, its item processing. */
  deletingUntil?: number;
}

interface SimSchedule {
  id: string;
  instanceId: string;
  name: string;
  rotation_days: string;
  rotation_time: string;
  create_date: string;
}

const DAY_WORDS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** BILLmanager: "The session dies after 1 hour with no requests". */
const DEFAULT_SESSION_IDLE_MS = 60 * 60 * 1000;

/** An in-memory BILLmanager speaking Zomro's form API, quirks included. */
export class ZomroSimulator extends ProviderSimulator {
  /** Idle time after which a session (a func=auth one, or ZOMRO_SIM_TOKEN) dies. */
  sessionIdleMs = DEFAULT_SESSION_IDLE_MS;
  /** Session id -> time of its last request. */
  readonly sessions = new Map<string, number>([[ZOMRO_SIM_TOKEN, Date.now()]]);
  /** How many func=auth logins succeeded. */
  logins = 0;
  /** Refuse every func=auth as wrong credentials would be refused (a password changed at the panel). */
  refusesLogins = false;
  /**
   * Logins succeed, but every session they hand out is refused at once (`access`, and func=keepalive
   * says so too): a user whose use of the API was taken away in the panel while its password stands.
   */
  refusesSessions = false;
  /**
   * The error type a refused session is answered with (not func=keepalive's, which stays `access`):
   * BILLmanager's `auth` plays a panel that says so in its own type, which the gateway reads as a
   * refused session without asking the keepalive.
   */
  sessionRefusalType: 'access' | 'auth' = 'access';
  /** The password the user logs in with (func=auth or authinfo): a test changes it as a user does in the panel, and back. */
  accountPassword = ZOMRO_SIM_PASSWORD;
  /** The session id the next func=auth hands out (then random ones again): a panel's own id, in any characters. */
  nextSessionId: string | null = null;
  /**
   * The unit `image_size` is answered in. The docs say only "Actual backup
   * size" with the example "3" (GB, like min_disk); Glance's own size is in
   * bytes. Both can be played.
   */
  imageSizeUnit: 'GB' | 'bytes' = 'GB';
  /**
   * The `fotbo_status` a rebuilding instance shows: `rebuilding`, a word of
   * Zomro's panel code (getInstanceMainInfo's isProcessing). Null keeps the
   * resting word through a rebuild; a test may play another (OpenStack's
   * REBUILD). `instance_status` keeps its documented resting word either way.
   */
  rebuildWord: string | null = 'rebuilding';
  /** Whether instance rows carry `fotbo_status` (the panel reads it first); false plays a panel that sends `instance_status` alone. */
  listsFotboStatus = true;
  /**
   * `fotbo_status` at rest in OpenStack's server status words, as a panel passing its cloud's words
   * on shows them (the gateway reads OpenStack's MIGRATING, REBUILD, ... there too): `active` as
   * ACTIVE, `stopped` as SHUTOFF, Nova's status of a stopped server. `instance_status` keeps its
   * documented billing word. Off: the words of Zomro's panel code.
   */
  cloudWordsOfNova = false;
  /** Longest backup name the simulated panel takes (the docs state none): a longer one is a field error. */
  maxNameLength = 64;
  /** The `fleio_status` word the next created backups end in (the panel code also knows `Suspended`). */
  createdBackupStatus = 'Active';
  /**
   * Validation messages quote the request they refuse, its fields as the
   * panel read them (the session too), and `$object` is written by PHP's
   * json_encode ("/" as "\/") before the answer's JSON quotes it again: a
   * credential in it shows only once `$object` is decoded.
   */
  fieldErrorsQuoteRequest = false;
  /**
   * Whether backup listings carry `fleio_id`. Zomro's backup doc shows it on
   * every record; the panel reads it from `func=image&elid=<backup id>`
   * (`doc.fleio_id.$`), which the simulator always answers.
   */
  listsFleioId = true;
  /**
   * Whether backup rows carry `instances_id`, the instance's billing id (the
   * `plid` listed with): Zomro's panel code reads it, the backup document's
   * example shows none.
   */
  listsInstancesId = false;
  /**
   * `instances.fleio_bckps` and `instances.fleio_bckps.schedule` answer the
   * backups and schedules of every instance, whatever `plid`/`elid` asks: a
   * panel that ignores its per-instance filter. Not Zomro's documented
   * behaviour; it tests what the gateway makes of it.
   */
  ignoresInstanceFilter = false;
  /**
   * `image_size` while a backup is Saving: the docs say only "Determined
   * after the backup creation is complete"; the simulator answers an empty
   * value by default, and '0' (a size not yet determined) behind this.
   */
  imageSizeWhileSaving: '' | '0' = '';
  /**
   * Whether deleted services stay in the lists, and how their status reads:
   * null drops them (Zomro's backup document shows a deleted backup gone from
   * `instances.fleio_bckps`); 'code' keeps them with `item_real_status` (backups)
   * or `item_status` (instances) `{"$": "4"}`, BILLmanager's deleted code; 'word'
   * with `{"$orig": "4", "$": "Deleted"}`, as another BILLmanager's service
   * lists carry them; 'image' keeps a deleted backup with its item active and
   * `fleio_status` `deleted`, Glance's word for a deleted image.
   */
  listsDeletedItems: 'code' | 'word' | 'image' | null = null;
  /**
   * The display word `listsDeletedItems: 'word'` sends in `$` beside the code in `$orig`: the
   * panel's language, which the account's user chooses (Zomro's panel speaks Russian too).
   */
  deletedWord = 'Deleted';
  /**
   * A backup's `protected` as the panel shows it in its language, the stored on/off in `$orig`
   * beside it (`{"$orig": "on", "$": "Да"}`); null sends on/off in `$` alone, as Zomro's
   * backup document shows.
   */
  flagWords: { on: string; off: string } | null = null;
  /**
   * A schedule's `rotation_days` as the panel shows it in its language: the words for Sunday
   * through Saturday in `$` (`"Понедельник Вторник "`), and, with `orig`, the stored numbers
   * beside them in `$orig` (`"1,2"`), as BILLmanager sends coded values. null sends the English
   * words alone, as Zomro's schedule document shows them.
   */
  dayWords: { words: readonly string[]; orig: boolean } | null = null;
  /**
   * Coded words (`fleio_status`, `backup_type`, `instance_status`, `fotbo_status`) as the panel
   * shows them in its language, by the stored word lower-cased: the shown word in `$`, the stored
   * one beside it in `$orig` (`{"$orig": "Active", "$": "Активен"}`). A word not in the map is
   * sent as stored. null sends the stored words alone in `$`, as Zomro's documents show them.
   */
  statusWords: Readonly<Record<string, string>> | null = null;
  /**
   * The `fleio_status` of a backup still being made: Zomro's document shows
   * `Saving`; Glance also has `queued` before it and `uploading`/`importing`
   * while data arrives by its upload and import steps.
   */
  savingWord = 'Saving';
  /**
   * Whether a create answers the new backup's or schedule's id (`doc.id`).
   * Zomro's documents show no answer to `instances.fleio_bckps.edit` (nor to
   * `.schedule.edit`); false plays one without.
   */
  createAnswersId = true;
  /** Whether a second backup or schedule of one instance may take a name already used (Zomro documents no rule). */
  allowsRepeatedNames = false;
  /**
   * How long an accepted `image.delete` takes to carry out: meanwhile the
   * backup stays listed, its billing item processing (`item_real_status` 5).
   * 0: at once, as the document's "the backup was successfully deleted".
   */
  deleteDelayMs = 0;
  /**
   * What a rebuild (the restore) does when its backup is deleted before it ends. Zomro's backup
   * document refuses a delete only for `protected: on`, answers it ok and lists the backup no
   * more; neither it nor the panel code says what becomes of a rebuild still reading that image,
   * so both readings are played. 'finishes': the image was already on the host and the rebuild
   * ends as any other. 'fails': OpenStack's (Fleio's cloud) rebuild still fetching the image
   * from Glance fails, and the server shows `error` (`fotbo_status`) once the rebuild time is up.
   */
  rebuildOfDeletedImage: 'finishes' | 'fails' = 'finishes';
  /**
   * What the panel answers a backup (`instances.fleio_bckps.edit`) of an instance being rebuilt
   * (or with another task under way, startTask).
   * Zomro documents nothing; its cloud (OpenStack) refuses a snapshot of a server with a task
   * under way (Nova's 409, "in task_state rebuilding"). 'refuses' plays that refusal as the
   * panel passes a rebuild's on (type `busy`); 'takes' makes the backup as any other.
   */
  backupsMidRebuild: 'refuses' | 'takes' = 'refuses';
  /**
   * How the panel words its refusal of a rebuild from an image that is not Active, which no Zomro
   * document shows: null plays our own (`$type` `notactive`, naming the field); another type and
   * message play a panel wording it otherwise.
   */
  notActiveRefusal: { type: string; message: string } | null = null;
  /**
   * The stored `backup_type` words a panel sends for a backup made on request and one made by a
   * schedule. Zomro's backup document shows `manual` in its example and describes the field as
   * "How the backup was created: Manually or on schedule"; no document shows the scheduled word.
   * null sends `manual` and `schedule`.
   */
  backupTypeWords: { manual: string; schedule: string } | null = null;
  /** Most rows the simulated panel answers per page of any list, whatever `p_cnt` asks (null: as asked). */
  listPageCap: number | null = null;
  /**
   * Whether list answers carry the count (`p_elems`). BILLmanager's do (providers.md); false plays a
   * panel that leaves it out and still sends back the page size it used (`p_cnt`) and the page (`p_num`).
   */
  countsLists = true;
  /**
   * Funcs the account may not use: a live session calling one is refused with
   * `access`, "Insufficient privileges to perform function ...", the very
   * answer a dead session gets (BILLmanager's rights check; Zomro's panel
   * tells the two apart only with func=keepalive).
   */
  readonly forbiddenFuncs = new Set<string>();
  /**
   * A refused right quotes the session it was sent with. Not seen in
   * BILLmanager's documents: a hostile reading, for the scrubber's tests.
   */
  accessRefusalsQuoteSession = false;
  readonly instances = new Map<string, SimInstance>();
  readonly backups = new Map<string, SimBackup>();
  readonly schedules = new Map<string, SimSchedule>();
  private nextId = 5_300_000;

  constructor(options: SimulatorServerOptions & SimulatorSeedOptions = {}) {
    super('zomro', options);
  }

  /** Sample data. Instance 1 has no backups (no `elem`), instance 2 exactly one (`elem` is an object). */
  seed({ instances = 6, backupsPerInstance = 4, seed = 7 }: SimulatorSeedOptions): void {
    const random = new SeededRandom(seed);
    for (let index = 0; index < instances; index++) {
      const id = String(5_203_773 + index);
      this.instances.set(id, {
        id,
        servername: `${SAMPLE_NAMES[index % SAMPLE_NAMES.length]}-${index + 1}.zomro.example`,
        instance_status: index % 5 === 4 ? 'stopped' : 'active',
        datacentername: random.pick(['Netherlands-2', 'Poland-1', 'USA-1']),
        createdate: `2024-0${1 + (index % 9)}-1${index % 10}`,
        ip: `185.12.${index % 250}.${10 + (index % 200)}`,
        rebuildUntil: 0,
      });
      const count = index === 0 ? 0 : index === 1 ? 1 : backupsPerInstance;
      for (let n = 0; n < count; n++) {
        const backupId = String(this.nextId++);
        const os = random.pick(SAMPLE_OS);
        this.backups.set(backupId, {
          id: backupId,
          instanceId: id,
          name: `backup-${index + 1}-${n + 1}`,
          fleio_id: `${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)}`,
          createdate: index === 5 && n === count - 1 ? recent().toISOString().slice(0, 10) : `2024-07-${String(10 + n).padStart(2, '0')}`,
          image_size: String(random.int(1, 40)),
          min_disk: String(random.pick([10, 20, 40])),
          min_ram: '0',
          os,
          protected: index === 2 && n === 0 ? 'on' : 'off',
          backup_type: n % 2 === 0 ? 'manual' : 'schedule',
          region: 'Netherlands-2',
          readyAt: 0,
          // A word only Zomro's panel code shows (Suspended): the backup reads FAILED, its word kept in raw.
          ...(index === 3 && n === 1 ? { fixedStatus: 'Suspended' } : {}),
        });
      }
      if (index >= 2) {
        const scheduleId = String(10 + index);
        this.schedules.set(scheduleId, {
          id: scheduleId,
          instanceId: id,
          name: `nightly-${index + 1}`,
          rotation_days: index % 2 === 0 ? 'Monday Tuesday Wednesday Thursday Friday ' : 'Sunday Monday Tuesday Wednesday Thursday Friday Saturday ',
          rotation_time: '02:01',
          create_date: '2024-07-24',
        });
      }
    }
  }

  protected handle(request: SimRequest): SimResponse {
    this.settleDeletes();
    const { form } = request;
    const func = form.get('func') ?? '';
    request.label = func || 'unknown';
    if (request.method !== 'POST' && request.method !== 'GET') return { status: 405, text: 'Method Not Allowed' };
    if (func === 'auth') return this.login(form);
    // A dead or unknown session, as Zomro's panel meets it: an `access` error saying
    // "Insufficient privileges to perform function" (its checkIfTokenAlive matches those
    // words, and func=keepalive then answers $type 'access' for a dead session).
    if (!this.authorised(form)) return error(func === 'keepalive' ? 'access' : this.sessionRefusalType, `Insufficient privileges to perform function ${func}`, func);
    // The session is live here: keepalive answers a document without `error` (the panel's
    // getCurrentSessionStatus reads only that), and has done its job of touching the session.
    if (func === 'keepalive') return docOf({});
    if (this.forbiddenFuncs.has(func)) {
      const quoted = this.accessRefusalsQuoteSession ? ` (session ${form.get('auth') ?? ''})` : '';
      return error('access', `Insufficient privileges to perform function ${func}${quoted}`, func);
    }
    const plid = form.get('plid') ?? form.get('elid') ?? '';
    switch (func) {
      case 'instances':
        return this.listInstances(form);
      case 'instances.fleio_bckps':
        return this.withInstance(plid, (instance) => this.paged(this.ignoresInstanceFilter ? [...this.backups.values()] : this.backupsOf(instance.id), form, (backup) => this.wireBackup(backup)));
      case 'instances.fleio_bckps.edit':
        return this.withInstance(form.get('plid') ?? '', (instance) => this.createBackup(instance, form));
      case 'image':
        return this.image(form);
      case 'image.delete':
        return this.deleteBackup(form);
      case 'instances.fleio.rebuild':
        return this.withInstance(form.get('elid') ?? '', (instance) => this.rebuild(instance, form));
      case 'instances.fleio_bckps.schedule':
        return this.withInstance(plid, (instance) => this.paged(this.ignoresInstanceFilter ? [...this.schedules.values()] : this.schedulesOf(instance.id), form, (schedule) => this.wireSchedule(this.instances.get(schedule.instanceId) ?? instance, schedule)));
      case 'instances.fleio_bckps.schedule.edit':
        return this.withInstance(form.get('plid') ?? '', (instance) => this.createSchedule(instance, form));
      case 'instances.fleio_bckps.schedule.delete':
        return this.deleteSchedule(form);
      default:
        return error('missed', `Function ${func} not found`, 'func');
    }
  }

  /** BILLmanager's way: HTTP 200, `doc.error`, the credentials in the message and the request's fields in `tparams`. */
  protected echo(request: SimRequest): SimResponse {
    const { form } = request;
    const credential = form.get('auth') ?? form.get('authinfo') ?? '';
    const tparams = Object.fromEntries([...form].map(([key, value]) => [key, { $: value }]));
    return docOf({ tparams, error: { $type: 'value', $object: 'auth', msg: { $: `Session "${credential}" is not valid for this request (${request.bodyText})` } } });
  }

  /** A validation failure (`fieldError`), quoting the request as `fieldErrorsQuoteRequest` says. */
  private refuseField(field: string, message: string, form: Map<string, string>): SimResponse {
    if (!this.fieldErrorsQuoteRequest) return fieldError(field, message);
    const request = [...form].map(([key, value]) => `${key}=${value}`).join('&');
    return fieldError(field, `${message}, request: ${request}`, (json) => json.replaceAll('/', '\\/'));
  }

  /** Every session dies: as if each had been idle longer than sessionIdleMs. */
  expireSessions(): void {
    for (const id of this.sessions.keys()) this.sessions.set(id, Number.NEGATIVE_INFINITY);
  }

  /**
   * `func=auth&username=..&password=..&sok=ok`: "The session id comes back in
   * doc.auth.$id; send it as auth=<id> on later calls".
   */
  private login(form: Map<string, string>): SimResponse {
    if (this.refusesLogins || form.get('username') !== ZOMRO_SIM_USER || form.get('password') !== this.accountPassword) return error('auth', 'Authorization failed');
    const id = this.nextSessionId ?? crypto.randomUUID().replaceAll('-', '').slice(0, 24);
    this.nextSessionId = null;
    this.sessions.set(id, Date.now());
    this.logins++;
    return docOf({ auth: { $id: id, $: id } });
  }

  /**
   * A session id that is known and has not been idle past sessionIdleMs; a
   * dead one is answered as a refused right (`access`), since BILLmanager
   * documents no distinct expired-session type. `authinfo` needs no session.
   */
  private authorised(form: Map<string, string>): boolean {
    if (form.get('authinfo') === `${ZOMRO_SIM_USER}:${this.accountPassword}`) return true;
    const id = form.get('auth') ?? '';
    if (this.refusesSessions && id !== ZOMRO_SIM_TOKEN) return false;
    const lastUsed = this.sessions.get(id);
    if (lastUsed === undefined) return false;
    const now = Date.now();
    if (now - lastUsed > this.sessionIdleMs) {
      this.sessions.delete(id);
      return false;
    }
    this.sessions.set(id, now);
    return true;
  }

  private withInstance(plid: string, then: (instance: SimInstance) => SimResponse): SimResponse {
    const instance = this.instances.get(plid);
    return instance && !instance.deleted ? then(instance) : error('missed', 'Object not found', 'instances');
  }

  /**
   * Puts the instance through a task other than a rebuild (a resize, a reboot, rescue mode, ...)
   * for `durationMs` (Infinity: until endTask, as a mode only a person ends). `fotbo_status`
   * shows `word` meanwhile, `instance_status` shows `billingWord` where given (`verify_resize`,
   * the documented billing word of a resize waiting to be confirmed), and the panel refuses a
   * backup or a rebuild of it as it refuses one mid-rebuild (Nova acts on no server with a task
   * under way, nor snapshots or rebuilds one resized or in rescue).
   */
  startTask(id: string, word: string, durationMs = Number.POSITIVE_INFINITY, billingWord?: string): void {
    const instance = this.instances.get(id);
    if (!instance) throw new Error(`no instance ${id}`);
    instance.task = { word, until: Date.now() + durationMs, ...(billingWord === undefined ? {} : { billingWord }) };
  }

  endTask(id: string): void {
    const instance = this.instances.get(id);
    if (instance) delete instance.task;
  }

  /**
   * Every backup still saving is done now: a test holds its backups Saving with a long
   * asyncDelayMs and lets them end once it has seen what it waits for, so no poll, however
   * late on a loaded machine, finds the backup done before the test means it to be.
   */
  finishBackups(): void {
    const now = Date.now();
    for (const backup of this.backups.values()) backup.readyAt = Math.min(backup.readyAt, now);
  }

  /**
   * Every delete still under way (deleteDelayMs) is carried out now: a test holds a delete with a
   * long deleteDelayMs and lets it end between two reads of its own choosing, no sleeps.
   */
  finishDeletes(): void {
    const now = Date.now();
    for (const backup of this.backups.values()) if (backup.deletingUntil !== undefined) backup.deletingUntil = Math.min(backup.deletingUntil, now);
    this.settleDeletes();
  }

  /** The task under way on the instance, if one is. */
  private taskOf(instance: SimInstance, now: number): SimTask | undefined {
    return instance.task !== undefined && instance.task.until > now ? instance.task : undefined;
  }

  /** Deletes a service as its billing does: gone from the lists, or kept as deleted (listsDeletedItems). */
  deleteInstance(id: string): void {
    const instance = this.instances.get(id);
    if (!instance) return;
    // An instance has no image word: 'image' drops it as null does.
    if (this.listsDeletedItems === null || this.listsDeletedItems === 'image') this.instances.delete(id);
    else instance.deleted = true;
  }

  /** A deleted service's status as `listsDeletedItems` writes it; a live one's as `live` says. */
  /** The cloud's live word (`fotbo_status`): the rebuild's while one runs, `error` after one that lost its image, else the resting word. */
  private liveWord(instance: SimInstance, now: number): string {
    if (instance.rebuildUntil > now) return this.rebuildWord ?? instance.instance_status;
    const task = this.taskOf(instance, now);
    if (task !== undefined) return task.word;
    if (instance.rebuildFailed) return this.cloudWordsOfNova ? 'ERROR' : 'error';
    return this.cloudWordsOfNova && Object.hasOwn(NOVA_RESTING_WORDS, instance.instance_status) ? (NOVA_RESTING_WORDS[instance.instance_status] as string) : instance.instance_status;
  }

  private itemStatus(deleted: boolean | undefined, live: string): Record<string, string> {
    if (!deleted || this.listsDeletedItems === 'image') return { $: live };
    return this.listsDeletedItems === 'word' ? { $orig: '4', $: this.deletedWord } : { $: '4' };
  }

  /**
   * One page of a list, as BILLmanager pages every list func: `p_cnt` rows
   * (at most `listPageCap`, a panel's own limit) of page `p_num`, the count in
   * `p_elems`. A list asked for without `p_cnt` is answered whole.
   */
  private paged<T>(items: readonly T[], form: Map<string, string>, wire: (item: T) => Record<string, unknown>): SimResponse {
    const asked = form.has('p_cnt') ? Math.max(1, Number(form.get('p_cnt')) || 20) : items.length || 1;
    const pageSize = Math.min(asked, this.listPageCap ?? Number.POSITIVE_INFINITY);
    const page = Math.max(1, Number(form.get('p_num') ?? 1) || 1);
    const rows = items.slice((page - 1) * pageSize, page * pageSize).map(wire);
    return docOf({ ...elemField(rows), ...(this.countsLists ? { p_elems: { $: String(items.length) } } : {}), p_num: { $: String(page) }, p_cnt: { $: String(pageSize) } });
  }

  private listInstances(form: Map<string, string>): SimResponse {
    const now = Date.now();
    return this.paged([...this.instances.values()], form, (instance) => this.shownInPanelWords({
      ...wrap({
        id: instance.id,
        servername: instance.servername,
        // The documented `instance_status` words (active | stopped | verify_resize |
        // suspend) have none for a rebuild: it keeps its resting word. The cloud's
        // live status, `fotbo_status`, says `rebuilding` meanwhile.
        instance_status: this.taskOf(instance, now)?.billingWord ?? instance.instance_status,
        ...(this.listsFotboStatus ? { fotbo_status: this.liveWord(instance, now) } : {}),
        datacentername: instance.datacentername,
        createdate: instance.createdate,
        ip: instance.ip,
      }),
      item_status: this.itemStatus(instance.deleted, 'Active'),
    }));
  }

  /** A row's coded words in the panel's words, the stored ones in `$orig` (see statusWords). */
  private shownInPanelWords(row: Record<string, unknown>): Record<string, unknown> {
    if (!this.statusWords) return row;
    for (const field of ['fleio_status', 'backup_type', 'instance_status', 'fotbo_status']) {
      const stored = (row[field] as { $?: unknown } | undefined)?.$;
      const shown = typeof stored === 'string' ? this.statusWords[stored.toLowerCase()] : undefined;
      if (typeof stored === 'string' && shown !== undefined) row[field] = { $orig: stored, $: shown };
    }
    return row;
  }

  /** The instance's backups as its list shows them: deleted ones too when listsDeletedItems keeps them. */
  private backupsOf(instanceId: string): SimBackup[] {
    return [...this.backups.values()].filter((backup) => backup.instanceId === instanceId);
  }

  /** A backup that is there to act on: known and not deleted. */
  private liveBackup(id: string): SimBackup | undefined {
    const backup = this.backups.get(id);
    return backup && !backup.deleted && backup.deletingUntil === undefined ? backup : undefined;
  }

  private schedulesOf(instanceId: string): SimSchedule[] {
    return [...this.schedules.values()].filter((schedule) => schedule.instanceId === instanceId);
  }

  private wireBackup(backup: SimBackup): Record<string, unknown> {
    const saving = Date.now() < backup.readyAt;
    const status = backup.deleted && this.listsDeletedItems === 'image' ? 'deleted' : saving ? this.savingWord : (backup.fixedStatus ?? 'Active');
    const row = wrap({
      architecture: 'x86_64',
      backup_type: this.backupTypeWords?.[backup.backup_type === 'manual' ? 'manual' : 'schedule'] ?? backup.backup_type,
      createdate: backup.createdate,
      disk_format: 'qcow2',
      ...(this.listsFleioId ? { fleio_id: backup.fleio_id } : {}),
      fleio_status: status,
      hypervisor_type: 'any_hypervisor',
      id: backup.id,
      ...(this.listsInstancesId ? { instances_id: backup.instanceId } : {}),
      // "Determined after the backup creation is complete".
      image_size: saving ? this.imageSizeWhileSaving : this.imageSizeUnit === 'bytes' ? String(Number(backup.image_size) * 2 ** 30) : backup.image_size,
      min_disk: backup.min_disk,
      min_ram: backup.min_ram,
      name: backup.name,
      os_distro: backup.os[0],
      os_version: backup.os[1],
      protected: backup.protected,
      region: backup.region,
      visibility: 'private',
    });
    // BILLmanager sometimes sends the original value beside the display value.
    (row.region as Record<string, string>).$orig = backup.region.toLowerCase();
    if (this.flagWords) row.protected = { $orig: backup.protected, $: this.flagWords[backup.protected] };
    row.item_real_status = this.itemStatus(backup.deleted, backup.deletingUntil === undefined ? '2' : '5');
    return this.shownInPanelWords(row);
  }

  /** `func=image&elid=<backup id>`: one image's fields at the top of `doc`, as an edit form answers. */
  private image(form: Map<string, string>): SimResponse {
    const backup = this.liveBackup(form.get('elid') ?? '');
    if (!backup) return error('missed', 'Object not found', 'image');
    return docOf(wrap({ elid: backup.id, name: backup.name, fleio_id: backup.fleio_id, min_disk: backup.min_disk, min_ram: backup.min_ram }));
  }

  private createBackup(instance: SimInstance, form: Map<string, string>): SimResponse {
    if (form.get('sok') !== 'ok') return docOf({});
    const name = (form.get('name') ?? '').trim();
    if (name === '') return this.refuseField('name', 'Field "name" is required', form);
    if (name.length > this.maxNameLength) return this.refuseField('name', `The value is too long (${this.maxNameLength} characters at most)`, form);
    const existing = this.backupsOf(instance.id).filter((backup) => !backup.deleted);
    if (!this.allowsRepeatedNames && existing.some((backup) => backup.name === name)) return error('exists', `Backup with name "${name}" already exists`, 'name');
    if (existing.length >= MAX_BACKUPS_PER_INSTANCE) return error('limit', 'Backup limit for this instance is reached', 'instances.fleio_bckps');
    if (this.backupsMidRebuild === 'refuses' && instance.rebuildUntil > Date.now()) return error('busy', 'The instance is being rebuilt', 'instance');
    const task = this.taskOf(instance, Date.now());
    if (this.backupsMidRebuild === 'refuses' && task !== undefined) return error('busy', `The instance is busy (${task.word})`, 'instance');
    const id = String(this.nextId++);
    const today = new Date().toISOString().slice(0, 10);
    this.backups.set(id, {
      id,
      instanceId: instance.id,
      name,
      fleio_id: crypto.randomUUID(),
      createdate: today,
      image_size: '2',
      min_disk: '20',
      min_ram: '0',
      os: ['Ubuntu', '22.04 x64'],
      protected: 'off',
      backup_type: 'manual',
      region: 'Netherlands-2',
      readyAt: Date.now() + this.asyncDelayMs,
      ...(this.createdBackupStatus === 'Active' ? {} : { fixedStatus: this.createdBackupStatus }),
    });
    return docOf({ ok: { $: 'ok' }, ...(this.createAnswersId ? { id: { $: id } } : {}) });
  }

  private deleteBackup(form: Map<string, string>): SimResponse {
    // `sok=ok`, "Operation confirmation", Required for `image.delete` (Zomro's backup document):
    // unconfirmed, nothing is deleted. It deleted the backup. (The schedule delete's table and
    // curl send no `sok`: that func takes it or not.)
    if (form.get('sok') !== 'ok') return docOf({});
    const id = form.get('elid') ?? '';
    const backup = this.liveBackup(id);
    if (!backup || (form.get('plid') && form.get('plid') !== backup.instanceId)) return error('missed', 'Object not found', 'image');
    if (backup.protected === 'on') return error('protected', 'The image is protected and cannot be deleted', 'image');
    if (this.deleteDelayMs > 0) backup.deletingUntil = Date.now() + this.deleteDelayMs;
    else this.carryOutDelete(backup, Date.now());
    return docOf({ ok: { $: 'ok' } });
  }

  /** The delete takes effect at `at`: a rebuild still reading the image then fails, if this panel's cloud fails it (rebuildOfDeletedImage). */
  private carryOutDelete(backup: SimBackup, at: number): void {
    if (this.rebuildOfDeletedImage === 'fails') {
      for (const instance of this.instances.values()) if (instance.rebuildImage === backup.fleio_id && instance.rebuildUntil > at) instance.rebuildFailed = true;
    }
    if (this.listsDeletedItems === null) this.backups.delete(backup.id);
    else backup.deleted = true;
  }

  /** Deletes whose time has come are carried out, asked about or not. */
  private settleDeletes(): void {
    const now = Date.now();
    for (const backup of this.backups.values()) {
      if (backup.deletingUntil !== undefined && backup.deletingUntil <= now) {
        const at = backup.deletingUntil;
        delete backup.deletingUntil;
        this.carryOutDelete(backup, at);
      }
    }
  }

  private rebuild(instance: SimInstance, form: Map<string, string>): SimResponse {
    const fleioId = form.get('select_rebuild') ?? '';
    const image = [...this.backups.values()].find((backup) => backup.fleio_id === fleioId && !backup.deleted);
    if (!image) return error('missed', 'Image not found', 'select_rebuild');
    // "The value Active means the backup is created" (Zomro's backup document), and the cloud
    // rebuilds from an active image only (Nova: "Image ... is not active"). How the panel passes
    // that refusal on is not documented: played as a BILLmanager error of its own type. It rebuilt
    // from a backup still Saving, or Suspended.
    const word = Date.now() < image.readyAt ? this.savingWord : (image.fixedStatus ?? 'Active');
    if (word.toLowerCase() !== 'active') {
      const refusal = this.notActiveRefusal;
      return refusal === null ? error('notactive', `Image ${fleioId} is not active (${word})`, 'select_rebuild') : error(refusal.type, refusal.message);
    }
    // OpenStack (Fleio's cloud) rebuilds only a server with no task under way: a second rebuild
    // while one runs is refused (Nova's 409, "in task_state rebuilding"). How Zomro's panel passes
    // that on is not documented: played as a BILLmanager error of type `busy`.
    if (instance.rebuildUntil > Date.now()) return error('busy', 'The instance is being rebuilt', 'instance');
    const task = this.taskOf(instance, Date.now());
    if (task !== undefined) return error('busy', `The instance is busy (${task.word})`, 'instance');
    instance.rebuildUntil = Date.now() + this.asyncDelayMs;
    instance.rebuildImage = fleioId;
    instance.rebuildFailed = false;
    return docOf({ ok: { $: 'ok' } });
  }

  private wireSchedule(instance: SimInstance, schedule: SimSchedule): Record<string, unknown> {
    const row = wrap({
      create_date: schedule.create_date,
      id: schedule.id,
      instance_id: instance.id,
      name: schedule.name,
      rotation_days: schedule.rotation_days,
      rotation_time: schedule.rotation_time,
      servername: instance.servername,
    });
    if (this.dayWords) {
      const days = schedule.rotation_days.split(' ').flatMap((word) => (DAY_WORDS.includes(word) ? [DAY_WORDS.indexOf(word)] : []));
      const shown = days.map((day) => `${this.dayWords?.words[day] ?? ''} `).join('');
      row.rotation_days = this.dayWords.orig ? { $orig: days.join(','), $: shown } : { $: shown };
    }
    return row;
  }

  private createSchedule(instance: SimInstance, form: Map<string, string>): SimResponse {
    // `sok=ok`, "Operation confirmation", Required (Zomro's schedule document), as for a backup's
    // create: without it an edit func answers its form and makes nothing. It made the schedule.
    if (form.get('sok') !== 'ok') return docOf({});
    const name = (form.get('name') ?? '').trim();
    const days = (form.get('rotation_days') ?? '').split(',').filter((day) => /^[0-6]$/.test(day));
    const time = form.get('rotation_time') ?? '';
    if (name === '') return this.refuseField('name', 'Field "name" is required', form);
    if (days.length === 0) return this.refuseField('rotation_days', 'Field "rotation_days" is invalid', form);
    if (!/^\d{2}:\d{2}$/.test(time)) return this.refuseField('rotation_time', 'Field "rotation_time" is invalid', form);
    if (!this.allowsRepeatedNames && this.schedulesOf(instance.id).some((schedule) => schedule.name === name)) return error('exists', `Schedule "${name}" already exists`, 'name');
    const id = String(this.nextId++);
    this.schedules.set(id, {
      id,
      instanceId: instance.id,
      name,
      // Answered as words with a trailing space, whatever was sent.
      rotation_days: days.map((day) => `${DAY_WORDS[Number(day)]} `).join(''),
      rotation_time: time,
      create_date: new Date().toISOString().slice(0, 10),
    });
    return docOf({ ok: { $: 'ok' }, ...(this.createAnswersId ? { id: { $: id } } : {}) });
  }

  private deleteSchedule(form: Map<string, string>): SimResponse {
    const id = form.get('elid') ?? '';
    if (!this.schedules.delete(id)) return error('missed', 'Object not found', 'schedule');
    return docOf({ ok: { $: 'ok' } });
  }
}

/** OpenStack's server statuses of the resting billing words (cloudWordsOfNova). */
const NOVA_RESTING_WORDS: Readonly<Record<string, string>> = { active: 'ACTIVE', stopped: 'SHUTOFF' };

function wrap(record: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, { $: value }]));
}


/** `elem` is left out for an empty list and sent as a bare object for a single element. */
function elemField(rows: Array<Record<string, unknown>>): Record<string, unknown> {
  if (rows.length === 0) return {};
  return { elem: rows.length === 1 ? rows[0] : rows };
}

function docOf(doc: Record<string, unknown>): SimResponse {
  return { status: 200, json: { doc: { $lang: 'en', $binary: '/billmgr', ...doc } } };
}

/**
 * A form validation failure as the panel code reads it: "`$object` can be a
 * JSON string mapping field -> [messages]", with `param[]` items `{ $name, $ }`.
 */
function fieldError(field: string, message: string, encoded: (json: string) => string = (json) => json): SimResponse {
  return docOf({ error: { $type: 'value', $object: encoded(JSON.stringify({ [field]: [message] })), msg: { $: message }, param: [{ $name: 'object', $: field }] } });
}

function error(type: string, message: string, object?: string): SimResponse {
  return docOf({ error: { $type: type, ...(object ? { $object: object } : {}), msg: { $: message } } });
}
