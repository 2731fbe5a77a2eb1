import { GatewayError, badInput, conflict, isGatewayError, notFound } from '../../domain/errors.js';
import type { Backup, BackupSchedule, Capability, CreateBackupRequest, CreateScheduleRequest, Instance, Operation, OperationRef, RestoreBackupRequest } from '../../domain/types.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { BaseAdapter, type BatchResult, type ProviderAccount } from '../adapter.js';
import { ZomroClient } from './client.js';
import { DEFAULT_BACKUP_GIVE_UP_MS, DEFAULT_RESTORE_GIVE_UP_MS, type ZomroConfig } from './config.js';
import { mapBackup, mapInstance, mapSchedule, rotationDaysParam, showsCloudWord } from './mapper.js';
import type { KeptOutcome, KeptOutcomes } from '../../state/kept-outcomes.js';
import { idTextOrNull } from '../native-id.js';
import { backupsOfVm, rowsOfVm, type ForeignRowsReport } from '../foreign-rows.js';
import { readPages } from './pages.js';
import { scalar, unwrap, type ZomroDoc } from './wire.js';
import { mapReadableRows } from '../readable-rows.js';
import { instancesAsked } from '../rows-asked.js';
import { inErrorState, restoreProgress } from './restore-progress.js';
import { busyRefusal } from './busy-instance.js';
import { unrestorableBackup } from './restorable-backup.js';
import { listedAsDeleted } from './deleted-rows.js';
import { quotedWord } from './quoted-word.js';
import { backupOfCreate, idOrder } from './created-backup.js';
import { answerAfterAccepted } from '../read-after-accepted.js';
import { scheduleOfCreate } from './schedule-of-create.js';
import { scheduleMayExist } from '../schedule-may-exist.js';
import { billingId } from './billing-id.js';

export { restoreProgress } from './restore-progress.js';

export const ZOMRO_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  // NAME_BACKUP: createBackup's name becomes the backup's own name.
  'LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'LIST_SCHEDULES', 'CREATE_SCHEDULE', 'DELETE_SCHEDULE', 'NAME_BACKUP',
]);

/** Zomro (BILLmanager + Fleio) Cloud VPS backups. */
export class ZomroAdapter extends BaseAdapter {
  readonly capabilities = ZOMRO_CAPABILITIES;
  private readonly client: ZomroClient;
  private readonly restoreSettleMs: number;
  private readonly restoreGiveUpMs: number;
  readonly backupGiveUpMs: number;

  constructor(
    account: ProviderAccount,
    upstream: UpstreamClient,
    config: ZomroConfig,
    /** Told of backup rows naming another instance (see listBackups). */
    private readonly foreignRows: ForeignRowsReport,
    /** Each restore's first outcome, shared by the replicas (see restoreOperation). */
    private readonly restoreOutcomes: KeptOutcomes,
  ) {
    super(account, upstream);
    this.client = new ZomroClient(upstream, config.auth);
    this.restoreSettleMs = config.restoreSettleMs ?? 300_000;
    this.restoreGiveUpMs = config.restoreGiveUpMs ?? DEFAULT_RESTORE_GIVE_UP_MS;
    this.backupGiveUpMs = config.backupGiveUpMs ?? DEFAULT_BACKUP_GIVE_UP_MS;
  }

  /** Every page of `func=instances` (pages.ts). */
  async listInstances(scope: UpstreamScope): Promise<Instance[]> {
    return mapReadableRows(await this.instanceRows(scope), (row) => mapInstance(this.account.id, row), { provider: this.account.id, list: 'instances', instanceNativeId: null }, scope);
  }

  /** BILLmanager reads no instance by id: the listing, mapping only the rows asked (rows-asked.ts). */
  override async getInstances(nativeIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Instance | null>> {
    return instancesAsked(nativeIds, await this.instanceRows(scope), (row) => row.id, (row) => mapInstance(this.account.id, row), this.account.id);
  }

  private async instanceRows(scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const rows = await readPages((number, size) => this.client.call({ func: 'instances', params: pageParams(number, size), idempotent: true }, scope), this.account.id, scope);
    // A service BILLmanager deleted may stay in its list: it is no instance.
    return rows.filter((row) => !listedAsDeleted(row));
  }

  listBackups(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Backup[]>> {
    return this.perInstance(instanceIds, async (plid) => {
      // A list func like any other, paged as BILLmanager pages every list (p_cnt/p_num, p_elems).
      const rows = await readPages((number, size) => this.client.call({ func: 'instances.fleio_bckps', params: { ...instanceParams(plid), ...pageParams(number, size) }, idempotent: true }, scope), this.account.id, scope);
      // A row's `instances_id` (Zomro's panel code reads it; the backup document's example has
      // none) is the instance's billing id, the `plid` asked with: the mapper takes it as the
      // backup's instance, and deletes send it back as `plid`. A row naming another instance is
      // that instance's backup, listed here by a panel that ignored `plid`; a row naming none stays.
      // A backup whose billing item or image is deleted is gone (a delete ends when its row is no longer listed).
      const live = rows.filter((row) => !listedAsDeleted(row));
      return backupsOfVm(await mapReadableRows(live, (row) => mapBackup(this.account.id, plid, row, this.account.timezone), { provider: this.account.id, list: 'backups', instanceNativeId: plid }, scope), plid, (dropped) => this.foreignRows(this.account, dropped));
    });
  }

  override listSchedules(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<BackupSchedule[]>> {
    return this.perInstance(instanceIds, async (plid) => {
      const rows = await readPages((number, size) => this.client.call({ func: 'instances.fleio_bckps.schedule', params: { ...instanceParams(plid), ...pageParams(number, size) }, idempotent: true }, scope), this.account.id, scope);
      // A schedule row names its instance (`instance_id`, in Zomro's schedule document): one naming
      // another instance is that instance's, listed by a panel that ignored plid/elid, and would make
      // this instance look scheduled. Logged: were the real panel to name instances another way
      // there, every schedule would be dropped and every instance read as nothing scheduled.
      const schedules = await mapReadableRows(rows, (row) => mapSchedule(this.account.id, plid, row, this.account.timezone), { provider: this.account.id, list: 'schedules', instanceNativeId: plid }, scope);
      return rowsOfVm(schedules, plid, (dropped) => this.foreignRows(this.account, dropped, 'schedules'));
    });
  }

  override async createBackup(request: CreateBackupRequest, scope: UpstreamScope): Promise<Operation> {
    const plid = request.instance.nativeId;
    // Zomro documents no answer to a backup asked mid-task; its cloud (OpenStack) takes no
    // snapshot of a server with a task under way (Nova's createImage: 409, "in task_state
    // ..."), and a backup of a disk being rewritten, resized or moved would hold neither the old
    // state nor the new. Refused before any call while the live word says so (busy-instance.ts:
    // a rebuild, a resize waiting to be confirmed, a reboot, rescue mode, ...), as a restore is;
    // sent anyway (a stale word, a panel without fotbo_status), the panel's refusal answers.
    const busy = busyRefusal(request.instance.state, 'create');
    if (busy !== null) throw conflict(busy, this.account.id);
    const startedAt = new Date();
    const doc = await this.client.call({
      func: 'instances.fleio_bckps.edit',
      params: { plid: billingId(plid), name: request.name, sok: 'ok' },
      idempotent: false,
    }, scope);
    const backupId = this.createdId(doc);
    return this.operation({ kind: 'CREATE_BACKUP', startedAt, instanceNativeId: plid, backupNativeId: backupId, token: [request.name] }, 'RUNNING');
  }

  override async deleteBackup(backup: Backup, scope: UpstreamScope): Promise<Operation> {
    const plid = requireInstance(backup);
    const startedAt = new Date();
    await this.client.call({
      func: 'image.delete',
      params: { plid: billingId(plid), elid: billingId(backup.nativeId), elname: backup.nativeId, sok: 'ok' },
      idempotent: false,
    }, scope);
    const ref = this.ref('DELETE_BACKUP', startedAt, plid, backup.nativeId, []);
    // The panel took the delete: a read of the list after it failing must neither free its key nor
    // fail the delete (read-after-accepted.ts). RUNNING, as a poll answers while the backup is still listed.
    return answerAfterAccepted(() => this.getOperation(ref, scope), () => this.operation(ref, 'RUNNING'));
  }

  override async restoreBackup(request: RestoreBackupRequest, scope: UpstreamScope): Promise<Operation> {
    // No restore func exists: the panel rebuilds the instance from the backup image
    // (instances.fleio.rebuild, select_rebuild=<fleio_id>). Two places name the image's
    // fleio_id: Zomro's backup doc lists it on each doc.elem[] record; the panel reads it
    // from func=image&elid=<backup id> (doc.fleio_id.$). The listing's is used when it
    // has one, the image's otherwise.
    // The cloud rebuilds only an active, stopped or errored server with no task under way (Nova
    // refuses one mid-rebuild, mid-resize, in rescue, ...), and a second rebuild would make the
    // first restore's outcome the second's: refused before any call while the target's live word
    // says so (busy-instance.ts; the read after a restore is fresh: it dropped the instance's
    // cache). Sent anyway (a stale word), Zomro's own refusal answers.
    const busy = busyRefusal(request.target.state, 'restore');
    if (busy !== null) throw conflict(busy, this.account.id);
    // Only an Active backup is created (Zomro's backup document): one still Saving, or Suspended, is refused before any call.
    const unrestorable = unrestorableBackup(request.backup);
    if (unrestorable !== null) throw conflict(unrestorable, this.account.id);
    const listed = typeof request.backup.raw.fleio_id === 'string' && request.backup.raw.fleio_id !== '' ? request.backup.raw.fleio_id : null;
    const fleioId = listed ?? (await this.imageFleioId(request.backup.nativeId, scope));
    if (!fleioId) throw badInput('this backup has no image id to rebuild from');
    const startedAt = new Date();
    await this.client.call({
      func: 'instances.fleio.rebuild',
      params: { elid: billingId(request.target.nativeId), select_rebuild: fleioId, sok: 'ok', clicked_button: 'ok' },
      idempotent: false,
    }, scope);
    const ref = this.ref('RESTORE_BACKUP', startedAt, request.target.nativeId, request.backup.nativeId, []);
    await this.restoreOutcomes.started(restoreOutcomeKey(ref));
    return this.operation(ref, 'RUNNING');
  }

  override async createSchedule(request: CreateScheduleRequest, scope: UpstreamScope): Promise<BackupSchedule> {
    const plid = request.instance.nativeId;
    const doc = await this.client.call({
      func: 'instances.fleio_bckps.schedule.edit',
      params: { plid: billingId(plid), name: request.name, rotation_days: rotationDaysParam(request.weekdays), rotation_time: request.time, sok: 'ok' },
      idempotent: false,
    }, scope);
    const id = this.createdId(doc);
    // The panel took the schedule: the list read after it failing in any way (or not listing it) must
    // neither free its key nor fail the create (read-after-accepted.ts). With the id the panel
    // answered, the schedule as asked.
    if (id) return answerAfterAccepted(() => this.createdSchedule(plid, id, request.name, scope), () => scheduleOfCreate(this.account.id, id, request, this.account.timezone));
    // Without one nothing names it: any failure of that read is kept (replayed, never a second
    // create), in words that say the schedule most likely exists and how to find it. Not looked for
    // again by name, days and time among the schedules not seen before the create: that needs a read
    // before every create (a panel call more for each, for an answer the panel is seen to carry), and
    // the read after it is the one that just failed.
    return this.createdSchedule(plid, null, request.name, scope).catch((error: unknown) => {
      if (!isGatewayError(error)) throw error;
      throw scheduleMayExist(this.account.id, "its answer carried no id and the read of the instance's schedules after it could not tell which is the new one", 'by its name, days and time');
    });
  }

  private async createdSchedule(plid: string, id: string | null, name: string, scope: UpstreamScope): Promise<BackupSchedule> {
    const [schedules] = await this.listSchedules([plid], scope);
    // The read's own failure, not "not found": a timeout read so freed the key of a schedule made.
    if (!Array.isArray(schedules)) throw schedules ?? notFound('created schedule', this.account.id);
    // Without an id in the answer, the newest schedule of the name (the highest BILLmanager id): the
    // first of the name was an older one, whose id the caller would then have deleted as the new one's.
    const named = schedules.filter((schedule) => (id ? schedule.nativeId === id : schedule.name === name));
    const created = named.reduce<BackupSchedule | undefined>((newest, schedule) => (!newest || idOrder(schedule) >= idOrder(newest) ? schedule : newest), undefined);
    if (!created) throw notFound('created schedule', this.account.id);
    return created;
  }

  override async deleteSchedule(schedule: BackupSchedule, scope: UpstreamScope): Promise<void> {
    // The doc's parameter table names image.delete, its curl example
    // instances.fleio_bckps.schedule.delete; the panel uses the latter.
    await this.client.call({
      func: 'instances.fleio_bckps.schedule.delete',
      params: { elid: billingId(schedule.nativeId), ...(schedule.instanceNativeId ? { plid: billingId(schedule.instanceNativeId) } : {}), sok: 'ok' },
      idempotent: false,
    }, scope);
  }

  /** Zomro has no jobs: an operation is read back from the backup's (or, for restore, the instance's) status. */
  async getOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation> {
    const plid = ref.instanceNativeId;
    if (!plid) throw badInput('operation id lacks its instance');
    // Operation ids are the client's to re-encode: a plid no instance has is NOT_FOUND before any read, for every kind alike.
    billingId(plid);
    if (ref.kind === 'RESTORE_BACKUP') return this.restoreOperation(ref, plid, scope);
    const [backups] = await this.listBackups([plid], scope);
    if (backups instanceof Error) throw backups;
    const backup = backupOfCreate(backups ?? [], ref.backupNativeId, ref.token[0], ref.startedAt);
    // Past backupGiveUpMs a backup still being made, or still listed after its delete, is
    // FAILED: a snapshot stuck in Queued or Saving, or a delete the panel never carried
    // out, was RUNNING for ever. A large snapshot may still finish past the limit: the
    // create's message says so, as a retry would make a second backup.
    const gaveUp = Date.now() - ref.startedAt.getTime() >= this.backupGiveUpMs;
    const limit = `${Math.round(this.backupGiveUpMs / 60_000)} minutes`;
    const word = quotedWord(String(backup?.raw.fleio_status ?? ''));
    if (ref.kind === 'DELETE_BACKUP') {
      // Zomro has no job to confirm it: any backup id not listed reads so (Operation.succeededByAbsence).
      if (!backup) return this.succeededByAbsence(ref);
      // Nor one to show it was ever asked: a backup listed reads so for any id naming it (Operation.noTraceAtProvider).
      return this.withNoTrace(gaveUp ? this.operation(ref, 'FAILED', null, `the backup is still listed ${limit} after its delete (status ${word})`) : this.operation(ref, 'RUNNING'));
    }
    const withBackup = backup ? { ...ref, backupNativeId: backup.nativeId } : ref;
    if (!backup) return this.operation(withBackup, 'FAILED', null, 'the backup is gone');
    if (backup.status === 'AVAILABLE') return this.operation(withBackup, 'SUCCEEDED');
    // Still being made only while the word says so (Saving, Queued); any other word
    // (Suspended, killed, one nobody documents) will not turn Active by waiting.
    if (backup.status === 'PENDING' || backup.status === 'CREATING') {
      return gaveUp ? this.operation(withBackup, 'FAILED', null, `the backup still shows ${word} ${limit} after its create (backupGiveUpMs): it may yet turn Active, so look at the instance's backups before creating another`) : this.operation(withBackup, 'RUNNING');
    }
    // The word is the provider's: quoted only when it is a short plain token.
    return this.operation(withBackup, 'FAILED', null, `backup status ${word}`);
  }

  /**
   * A restore's status. It is read from the instance's word and, on a panel without
   * `fotbo_status`, from whether its backup is still there: both go on changing long after the
   * restore ended (the instance stopped or suspended, the backup rotated away days later), and a
   * status a client has seen finished must never change. So a restore the gateway started
   * (marked in the shared store) answers a terminal status only once it is kept there, and every
   * later poll, on every replica, answers the kept one without asking Zomro. A store that does not
   * answer in time gets RUNNING, saying so: a terminal answer then might not be the one kept. A
   * restore no mutation marked (an id made up, a mark expired or never written, or the memory
   * store's marks lost with a restart) is NOT_FOUND: nothing at Zomro ties an instance's word to
   * the backup an id names, so a made-up restore of any instance read SUCCEEDED from its state.
   */
  private async restoreOperation(ref: OperationRef, plid: string, scope: UpstreamScope): Promise<Operation> {
    const key = restoreOutcomeKey(ref);
    const kept = await this.restoreOutcomes.of(key);
    if (kept === 'unmarked') throw notFound('restore operation started by this gateway', this.account.id);
    if (typeof kept === 'object') return this.operation(ref, kept.status, null, kept.error);
    const [status, error] = await this.readRestore(ref, plid, kept, scope);
    if (status !== 'SUCCEEDED' && status !== 'FAILED') return this.operation(ref, status, null, error);
    const outcome = kept === 'open' ? await this.restoreOutcomes.keep(key, { status, error }) : undefined;
    if (!outcome) return this.operation(ref, 'RUNNING', null, STORE_UNANSWERED);
    return this.operation(ref, outcome.status, null, outcome.error);
  }

  /** The restore's status as Zomro shows it now: the instance's word, and for a marked restore on a panel without `fotbo_status`, its backup. */
  private async readRestore(ref: OperationRef, plid: string, kept: KeptOutcome, scope: UpstreamScope): Promise<[Operation['status'], string | null]> {
    const [instance] = await this.getInstances([plid], scope);
    if (!(instance && !(instance instanceof Error))) return ['FAILED', 'the instance no longer exists'];
    const elapsed = Date.now() - ref.startedAt.getTime();
    const [status, error] = restoreProgress(instance.state, elapsed >= this.restoreSettleMs, elapsed >= this.restoreGiveUpMs ? this.restoreGiveUpMs : null);
    if (status === 'FAILED' && inErrorState(instance.state) && ref.backupNativeId !== null && (await this.imageGone(ref.backupNativeId, scope))) {
      return [status, `${error ?? 'the rebuild failed'}: its backup was deleted while the instance was being rebuilt from it (Zomro takes the delete at once), which fails a rebuild still reading the image; restore from another backup`];
    }
    // `instance_status` keeps its resting word through a rebuild that failed (its image deleted
    // mid-way), so without the cloud's word a rebuild whose backup is gone may have failed unseen.
    // Asked only where the answer is kept: asked again at later polls, a backup rotated away days
    // after the restore turned a SUCCEEDED one FAILED.
    if (status === 'SUCCEEDED' && kept === 'open' && !showsCloudWord(instance.raw) && ref.backupNativeId !== null && (await this.imageGone(ref.backupNativeId, scope))) {
      return ['FAILED', `the restore's outcome cannot be confirmed: its backup was deleted before the gateway saw the rebuild end, and this panel sends no fotbo_status (its instance_status reads ${quotedWord(instance.state ?? '')} whether or not a rebuild that lost its image failed); look at the instance in the panel and, if it does not run the backup's system, restore from another backup`];
    }
    return [status, error];
  }

  /** `func=image&elid=<backup id>`: the image's `fleio_id` (`doc.fleio_id.$`), or null. */
  private async imageFleioId(backupNativeId: string, scope: UpstreamScope): Promise<string | null> {
    const doc = await this.client.call({ func: 'image', params: { elid: billingId(backupNativeId) }, idempotent: true }, scope);
    const id = scalar(doc.fleio_id);
    return id === null || id.trim() === '' ? null : id;
  }

  /**
   * Whether the backup's image is gone (`func=image&elid=` answers not found): a restore that
   * ended in an error state is then told why. Any other failure fails the poll, as a list's does.
   */
  private async imageGone(backupNativeId: string, scope: UpstreamScope): Promise<boolean> {
    // An id that is no BILLmanager id (a crafted operation id) is not an image seen gone.
    billingId(backupNativeId);
    try {
      await this.imageFleioId(backupNativeId, scope);
      return false;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND') return true;
      throw error;
    }
  }

  /** The id a create answers with (`id`, else `elid`), if any. */
  private createdId(doc: ZomroDoc): string | null {
    return idTextOrNull(unwrap(doc.id), this.account.id) ?? idTextOrNull(unwrap(doc.elid), this.account.id);
  }

  private ref(kind: OperationRef['kind'], startedAt: Date, instanceNativeId: string, backupNativeId: string | null, token: string[]): OperationRef {
    return { providerId: this.account.id, kind, startedAt, instanceNativeId, backupNativeId, token };
  }
}

/** A RUNNING restore's message where the shared store did not answer in time. */
const STORE_UNANSWERED = "the shared store did not answer in time, so this restore's outcome cannot be told yet (a finished restore's outcome is kept there, and told once)";

/** A restore's key in the kept outcomes: what its operation id holds (JSON, so no two parts run together). */
export const restoreOutcomeKey = (ref: OperationRef): string => JSON.stringify([ref.providerId, ref.instanceNativeId, ref.backupNativeId, ref.startedAt.getTime()]);

/**
 * The doc's parameter table names `plid` for listing calls while its curl
 * example sends `elid`: both are sent, so either reading works.
 */
const instanceParams = (plid: string): Record<string, string> => ({ plid: billingId(plid), elid: plid });

/** One page of a list: `p_cnt` rows of page `p_num`. */
const pageParams = (number: number, size: number): Record<string, string> => ({ p_cnt: String(size), p_num: String(number) });

function requireInstance(backup: Backup): string {
  if (!backup.instanceNativeId) throw badInput('backup id lacks its instance');
  return backup.instanceNativeId;
}
