import { ONAPP_INSTANCE_LIST } from './error-body.js';
import { ACTION_NOT_PERMITTED } from '../http-errors.js';
import { type GatewayError, badInput, clipProviderCode, conflict, isGatewayError, notFound, storeUnavailable } from '../../domain/errors.js';
import { UnusableNativeId } from '../../domain/unusable-native-id.js';
import { parseTime, weekdayNumbers } from '../../domain/schedule.js';
import type { Backup, BackupSchedule, Capability, CreateBackupRequest, CreateScheduleRequest, Instance, Operation, OperationRef, RestoreBackupRequest } from '../../domain/types.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { RequestMemo } from '../../upstream/request-memo.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import type { InstanceListKind } from '../../domain/instance-lists.js';
import { BaseAdapter, type BatchResult, type ProviderAccount } from '../adapter.js';
import { OnappClient, listRecords, unwrapRecords } from './client.js';
import { DEFAULT_BACKUP_GIVE_UP_MS, DEFAULT_RESTORE_GIVE_UP_MS, type OnappConfig } from './config.js';
import { idText, idTextOrNull } from '../native-id.js';
import { backupsOfVm, type ForeignRowsReport } from '../foreign-rows.js';
import { autobackupsOn, mapBackup, mapInstance, mapSchedule, mapVmSchedule } from './mapper.js';
import { backupOfCreate, highestBackupId, olderHighests, placeInToken, type SeriesClaims } from './new-backup.js';
import { decimalIdOrder } from '../../domain/decimal-id.js';
import { GIVEN_UP_KEPT_MS, MOST_OVERLAPPING_CREATES, type CreateOrder } from '../../state/create-order.js';
import { LEASE_MARGIN_MS } from '../../state/place-lease.js';
import { mapReadableRows } from '../readable-rows.js';
import { RowsLeftOutByVm } from '../rows-left-out-by-vm.js';
import { NO_VM, RowsOfNoVm, vmIdOrNoVm } from '../rows-of-no-vm.js';
import { UnreadableNativeId } from '../native-id.js';
import { diskIdOf, diskIdOrNull, diskIdToActOn } from './disk-id.js';
import { ONAPP_ID } from './onapp-id.js';
import { instancesAsked } from '../rows-asked.js';
import { findRestoreCandidates, MOST_TRANSACTION_READS, newestTransactionId, NO_SUCH_READ, READS_SPENT, type RestoreCandidates, type RestoreReach, type TransactionRow } from './restore-transaction.js';
import { transactionState } from './transaction-status.js';
import { reachNote, restorePlaceInToken, restoreReadInToken, restoreToken, restoresBeforePlace, waitForRestoreTurn, type RestoresBefore } from './restore-place.js';
import { joinRestoreSeries } from './restore-series.js';
import { mayHaveActed } from '../../upstream/may-have-acted.js';
import { answerAfterAccepted } from '../read-after-accepted.js';
import { scheduleMayExist } from '../schedule-may-exist.js';
import { unrestorableBackup } from './restorable-backup.js';

/**
 * DELETE_SCHEDULE: the seed doc does not show it, but OnApp's PHP wrapper deletes a schedule by
 * its id (`DELETE /settings/schedules/:id.json` from API 4.2 on, `/schedules/:id.json` before:
 * deleteSchedule sends both), so schedules can be deleted.
 */
export const ONAPP_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'LIST_SCHEDULES', 'CREATE_SCHEDULE', 'DELETE_SCHEDULE',
]);

/**
 * OnApp answers a create with no record (documented without a body), so the
 * new backup is recognised when it is listed; a create still unlisted after
 * this long is reported FAILED rather than PENDING for ever.
 */
export const UNLISTED_CREATE_GIVES_UP_MS = 30 * 60_000;

/**
 * A restore is followed by the VM's `restore_backup` transaction: its action
 * name and status words are inferred from client code, not documented
 * (providers.md: "Transaction status values: [NF]"), and the VM's
 * transaction list is paged. A restore whose transaction is never seen ends
 * FAILED after this long instead of PENDING for ever, as an unlisted create does
 * (not when the pages it may be on were not all read: then after the account's `restoreGiveUpMs`,
 * see `MOST_TRANSACTION_READS`).
 */
export const UNSEEN_RESTORE_GIVES_UP_MS = 30 * 60_000;


/** How many full series of found places a create moves past (see takePlace): each is one more store read. */
const SERIES_MOVES = 4;

/** A VM's disk as its schedules are read: whether OnApp takes its auto-backups (the disk's `has_autobackups`, mapper.ts autobackupsOn). */
interface ScheduledDisk {
  readonly id: string;
  readonly autobackups: boolean;
}

/**
 * The account's disks by VM, and the disks left out: one whose id cannot go into its schedules' URL
 * (disk-id.ts) is reported at its VM's schedules list, one whose VM id cannot be read back as the
 * account's (rows-of-no-vm.ts). Either failed the schedules of every VM of the account.
 */
interface AccountDisks {
  readonly byVm: Map<string, ScheduledDisk[]>;
  readonly leftOut: RowsLeftOutByVm;
  readonly noVm: RowsOfNoVm;
}

/**
 * OnApp ids are integers: anything else names nothing, and never reaches a URL. A client's is
 * NOT_FOUND; one OnApp's own list named in this request (a VM listed as `../480`) is the provider's
 * answer (UnusableNativeId): NOT_FOUND read as though the VM were gone.
 */
const segment = (value: string): string => {
  if (!ONAPP_ID.test(value)) throw new UnusableNativeId('object not found', 'listed an object whose id is no OnApp id (an integer), so it cannot be asked by it', 'NOT_FOUND');
  return value;
};

/** OnApp (Superb Flex Cloud): per-disk backups, transactions instead of job ids. */
export class OnappAdapter extends BaseAdapter {
  readonly capabilities = ONAPP_CAPABILITIES;
  private readonly client: OnappClient;
  /**
   * A delete is followed by the backup leaving the VM's list, a create by its backup's `built` flag
   * ("true if the storage server backed up has been built"): OnApp takes and removes a backup by a
   * transaction, whose failure leaves the record as it was, and the operation read RUNNING for ever.
   * Past this long after its request it is FAILED, saying the backup may yet change (the account's
   * `backupGiveUpMs`: a large disk's backup can take a while).
   */
  readonly backupGiveUpMs: number;
  /** How long a restore transaction under a word the gateway does not know is waited on (the account's `restoreGiveUpMs`). */
  private readonly restoreGiveUpMs: number;
  /** Whether the VM-level schedules are read beside the disks' (the account's `vmSchedules`: see vmSchedulesOf). */
  private readonly readsVmSchedules: boolean;

  constructor(
    account: ProviderAccount,
    upstream: UpstreamClient,
    config: OnappConfig,
    /** Places of overlapping creates of one disk, shared by the gateway's processes (see createBackup). */
    private readonly createOrder: CreateOrder,
    /** Told of backup rows naming another VM (see backupsOf). */
    private readonly foreignRows: ForeignRowsReport,
    /** Places of overlapping restores of one VM, shared by the gateway's processes (see restoreBackup). */
    private readonly restoreOrder: CreateOrder,
    /** Aborted as the gateway begins to stop: a restore still waiting for its turn is not POSTed. */
    private readonly draining?: AbortSignal,
  ) {
    super(account, upstream);
    this.client = new OnappClient(upstream, config.auth);
    this.backupGiveUpMs = config.backupGiveUpMs ?? DEFAULT_BACKUP_GIVE_UP_MS;
    this.restoreGiveUpMs = config.restoreGiveUpMs ?? DEFAULT_RESTORE_GIVE_UP_MS;
    this.readsVmSchedules = config.vmSchedules ?? false;
  }

  async listInstances(scope: UpstreamScope): Promise<Instance[]> {
    const rows = await this.list('/virtual_machines.json', ONAPP_INSTANCE_LIST, 'virtual_machine', scope);
    return mapReadableRows(rows, (row) => mapInstance(this.account.id, row), { provider: this.account.id, list: 'instances', instanceNativeId: null }, scope);
  }

  /** One listing for every VM asked (a read per VM would be a call each), mapping only their rows (rows-asked.ts). */
  override async getInstances(nativeIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Instance | null>> {
    const rows = await this.list('/virtual_machines.json', ONAPP_INSTANCE_LIST, 'virtual_machine', scope);
    return instancesAsked(nativeIds, rows, (row) => row.id, (row) => mapInstance(this.account.id, row), this.account.id);
  }

  /**
   * One call per VM, each VM once. The seed doc names
   * `/virtual_machines/:id/backups/images.json`; the client libraries use
   * `/virtual_machines/:id/backups.json`, which also lists file backups. We
   * read the latter; the simulator answers both.
   */
  listBackups(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Backup[]>> {
    // Each VM's first step is its call: once the request's budget refuses calls, the rest are refused unwalked.
    return this.perInstance(instanceIds, (vmId) => this.backupsOf(vmId, scope), () => scope.budget?.refusalOfFurtherCalls() ?? null);
  }

  /** Account disk lists started by prepareLists, each for the one request (scope) that asked. */
  private readonly preparedDisks = new RequestMemo<AccountDisks | null>();

  /** A query that wants schedules needs the account's disks, which do not wait for the VM list: read both at once. */
  override prepareLists(kinds: ReadonlySet<InstanceListKind>, scope: UpstreamScope): void {
    if (kinds.has('schedules')) this.preparedDisks.prefetch(scope, () => this.accountDisks(scope));
  }

  /**
   * Schedules hang off disks. For one VM its disk list is read; for several,
   * the account's whole disk list (`GET /settings/disks.json`, each disk
   * naming its `virtual_machine_id`: OnApp's PHP wrapper, route disks#index)
   * replaces a disk call per VM. The seed docs show only the per-VM list, so
   * an account that refuses the whole list (404/403) gets per-VM calls.
   * Schedules of the VM itself are read too where the account says so
   * (`vmSchedules`: a cloud of incremental backups), one call more per VM.
   */
  override async listSchedules(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<BackupSchedule[]>> {
    const prepared = this.preparedDisks.take(scope);
    const accountDisks = prepared ? await prepared : instanceIds.length > 1 ? await this.accountDisks(scope) : null;
    accountDisks?.leftOut.reportTo(scope, this.account.id, 'schedules', instanceIds);
    accountDisks?.noVm.reportTo(scope, this.account.id, 'schedules');
    return this.perInstance(instanceIds, async (vmId) => {
      const [ofDisks, ofVm] = await Promise.all([this.diskSchedulesOf(vmId, accountDisks?.byVm ?? null, scope), this.vmSchedulesOf(vmId, scope)]);
      return [...ofDisks, ...ofVm];
    });
  }

  /** The schedules of the VM's disks, read from the account's disk list where it was read (`accountDisks`), else the VM's. */
  private async diskSchedulesOf(vmId: string, accountDisks: Map<string, ScheduledDisk[]> | null, scope: UpstreamScope): Promise<BackupSchedule[]> {
    const leftOut = (reason: string): void => scope.rowLeftOut?.({ provider: this.account.id, list: 'schedules', instanceNativeId: vmId, reason });
    const disks = accountDisks ? (accountDisks.get(vmId) ?? []) : await this.scheduledDisksOf(vmId, scope, leftOut);
    const lists = await Promise.all(
      disks.map(async (disk) => {
        const rows = await this.list(`/settings/disks/${segment(disk.id)}/schedules.json`, 'schedules.list', 'schedule', scope);
        return mapReadableRows(rows, (row) => mapSchedule(this.account.id, vmId, disk.id, row, this.account.timezone, disk.autobackups), { provider: this.account.id, list: 'schedules', instanceNativeId: vmId }, scope);
      }),
    );
    return lists.flat();
  }

  /**
   * The VM's own schedules, where the account says its cloud keeps them (`vmSchedules`: see
   * OnappConfig); none, without a call, otherwise. A 404 is an OnApp without VM-level schedules
   * (an older panel, or per-disk backups only): none, never an error, which would have made the
   * whole VM's schedules unknown. Any other refusal (a 403) stays the VM's error: the account
   * asked for these, and reading none would call the VM unscheduled.
   */
  private async vmSchedulesOf(vmId: string, scope: UpstreamScope): Promise<BackupSchedule[]> {
    if (!this.readsVmSchedules) return [];
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await this.list(`/virtual_machines/${segment(vmId)}/schedules.json`, 'schedules.list_vm', 'schedule', scope);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'NOT_FOUND') return [];
      throw error;
    }
    return mapReadableRows(rows, (row) => mapVmSchedule(this.account.id, vmId, row, this.account.timezone), { provider: this.account.id, list: 'schedules', instanceNativeId: vmId }, scope);
  }

  /**
   * `POST /settings/disks/{disk_id}/backups.json` is documented with no body
   * and no new record in its answer: OnApp backups have neither name nor
   * note on create. The operation finds the new backup by its order among
   * the backups of that disk with an id above the highest one before the
   * call (OnApp ids grow); a record in the answer, where an OnApp version
   * sends one, is used. Two creates of one disk at once read the same
   * highest id: each takes a place in the shared store first (CreateOrder),
   * so the first looks for the first new backup, the second for the second,
   * and neither is told about the other's.
   */
  override async createBackup(request: CreateBackupRequest, scope: UpstreamScope): Promise<Operation> {
    const vmId = request.instance.nativeId;
    const diskId = await this.chooseDisk(vmId, scope, request.diskId);
    const before = await this.backupsOf(vmId, scope);
    const { highest, place } = await this.takePlace(diskId, before);
    const series = this.seriesOf(diskId, highest);
    const startedAt = new Date();
    let body: unknown;
    try {
      body = await this.client.call('POST', `/settings/disks/${segment(diskId)}/backups.json`, 'backups.create', scope);
    } catch (error) {
      // Given up on every failure, even one that may have acted: held, a later create of the
      // disk would look for one backup more than comes, and end FAILED beside its own backup;
      // given up, a backup that came after all is at worst taken for a later one, as alike.
      await this.createOrder.giveUp(series, place);
      throw error;
    }
    const [created] = unwrapRecords(body, 'backup');
    const backupId = idTextOrNull(created?.id, this.account.id);
    // Its backup known already: no later create of the disk may count it as its own.
    if (backupId) await this.createOrder.found(series, place, backupId);
    const token = [diskId, highest, String(place)];
    const ref: OperationRef = { providerId: this.account.id, kind: 'CREATE_BACKUP', startedAt, instanceNativeId: vmId, backupNativeId: backupId, token };
    if (backupId) return this.operation(ref, 'RUNNING');
    // OnApp took the create: a read after it refused (a 403, a 404, a 429) must not fail it. Failed, the
    // create read as refused without acting, its idempotencyKey was freed, and the retry made a second
    // backup. PENDING, as a poll that cannot tell yet answers; the operation's polls read again.
    return this.getOperation(ref, scope).catch((error: unknown) => {
      if (!isGatewayError(error)) throw error;
      return this.operation(ref, 'PENDING');
    });
  }

  override async deleteBackup(backup: Backup, scope: UpstreamScope): Promise<Operation> {
    const startedAt = new Date();
    await this.client.call('DELETE', `/backups/${segment(backup.nativeId)}.json`, 'backups.delete', scope);
    const ref: OperationRef = { providerId: this.account.id, kind: 'DELETE_BACKUP', startedAt, instanceNativeId: backup.instanceNativeId, backupNativeId: backup.nativeId, token: [] };
    // OnApp took the delete: the read after it failing must neither free its key nor fail the delete
    // (read-after-accepted.ts). RUNNING, as a poll answers while the backup is still listed.
    return answerAfterAccepted(() => this.getOperation(ref, scope), () => this.operation(ref, 'RUNNING'));
  }

  override async restoreBackup(request: RestoreBackupRequest, scope: UpstreamScope): Promise<Operation> {
    if (request.target.nativeId !== request.backup.instanceNativeId) throw badInput('OnApp restores a backup onto its own virtual server only');
    // Before any read or place in the restore series: a backup OnApp's flags say it cannot restore yet.
    const unrestorable = unrestorableBackup(request.backup.raw);
    if (unrestorable !== null) throw conflict(unrestorable, this.account.id);
    const startedAt = new Date();
    // The restore answers with no transaction id, and OnApp may list the transaction only a moment
    // later: until then an earlier restore of the same backup (failed, or done) would be read as
    // this one's outcome. Only transactions newer than those listed before the POST count.
    const listed = await this.transactionsOf(request.target.nativeId, 1, scope);
    const newestBefore = newestTransactionId(listed);
    // Two restores of the VM at once (two operators, two replicas) read the same watermark, and a
    // transaction naming only the VM (as the docs' VS transaction example does) cannot say whose it
    // is: each takes a place first, and the VM's transactions are handed out in that order. OnApp's
    // documents do not say whether a VM refuses a second restore while one runs (`locked` is a VM
    // field, its meaning during a restore not given): if it does, the refused POST gives its place
    // up, and no later restore counts it. A restore after another transaction was listed joins the
    // series of the restores still under way (see joinRestoreSeries), counted above their watermark.
    // Its lease is renewed while this replica waits for its turn and its POST is in flight: gone
    // with the replica, it lapses and a later place reads this one as maybe sent rather than waiting on it.
    const placement = await joinRestoreSeries({
      order: this.restoreOrder,
      group: `${this.account.id}:${request.target.nativeId}`,
      read: newestBefore,
      listed,
      seriesOf: (watermark) => this.restoreSeriesOf(request.target.nativeId, watermark),
      heldMs: UNSEEN_RESTORE_GIVES_UP_MS,
      leaseMs: this.upstream.attemptTimeoutMs + LEASE_MARGIN_MS,
      accountId: this.account.id,
    });
    const { series, place, lease } = placement;
    try {
      await this.noteRestoreReach(series, place, placement.newestBefore, newestBefore);
      await waitForRestoreTurn({ order: this.restoreOrder, series, place, lease, settlesAfterMs: UNSEEN_RESTORE_GIVES_UP_MS, accountId: this.account.id, signal: scope.signal, draining: this.draining }).catch((error: unknown) => {
        // The scope's signal also fires when the request's answers pass their budget: then the POST
        // would be refused as QUERY_TOO_COMPLEX, not "the request ended" (nothing was sent either way).
        throw scope.budget?.answerBytesPassed === true ? scope.budget.answerBytesRefusal() : error;
      });
      return await this.postRestore(request, scope, { series, place, holding: lease.placeValue, newestBefore: placement.newestBefore, readBefore: newestBefore, startedAt });
    } finally {
      lease.stop();
    }
  }

  /**
   * Where a restore's operation id asks its polls to look further up than the watermark's page and
   * the two above (it joined an older series: the id's third part; or restores come before it in
   * its series), the gateway writes so beside its place, kept as long as operations are followed,
   * before anything is sent: a poll looks so far only for an id that matches (see restoreReach). The
   * id is the client's, and a crafted one made each poll read 48 pages. Unwritten in time, the place
   * is given up and the restore refused: sent, it might never be found.
   */
  private async noteRestoreReach(series: string, place: number, newestBefore: number, readBefore: number): Promise<void> {
    if (place === 1 && readBefore <= newestBefore) return;
    if (await this.restoreOrder.note(series, place, reachNote(newestBefore, readBefore), GIVEN_UP_KEPT_MS)) return;
    await this.restoreOrder.giveUp(series, place);
    throw storeUnavailable('the shared store did not answer in time, so this restore could not record where its OnApp transaction is to be looked for: nothing was sent to OnApp; send it again', this.account.id);
  }

  /**
   * How far up a poll of a restore looks (see RestoreReach): as its id says where the gateway wrote
   * so when it sent the restore (see noteRestoreReach), or the id asks nothing past the watermark's
   * page and the two above; undefined when the store does not answer in time.
   */
  private async restoreReach(vmId: string, newestBefore: number, place: number, readBefore: number): Promise<RestoreReach | undefined> {
    if (place === 1 && readBefore === newestBefore) return { readBefore, verified: true };
    const noted = await this.restoreOrder.noteOf(this.restoreSeriesOf(vmId, newestBefore), place);
    return noted && { readBefore, verified: noted.note === reachNote(newestBefore, readBefore) };
  }

  /** A restore's POST once its turn has come, and its place marked by the answer. */
  private async postRestore(request: RestoreBackupRequest, scope: UpstreamScope, { series, place, holding, newestBefore, readBefore, startedAt }: { series: string; place: number; holding: string; newestBefore: number; readBefore: number; startedAt: Date }): Promise<Operation> {
    try {
      await this.client.call('POST', `/backups/${segment(request.backup.nativeId)}/restore.json`, 'backups.restore', scope);
    } catch (error) {
      // A POST that may have reached OnApp (its answer cut, a timeout) may have made a transaction:
      // given up, its place was deleted (no later place held) and the next restore, taking it again,
      // was told this one's outcome; or skipped, and each later place counted one short. Kept
      // uncertain, the later places look at both positions (see restoreOutcome). Past the time its
      // transaction would be listed in, a take of its series (which reads no transaction newer than
      // the watermark, so it made none) gives it up and frees it once no later place is held.
      if (mayHaveActed(error)) await this.restoreOrder.keepUncertain(series, place, UNSEEN_RESTORE_GIVES_UP_MS);
      else await this.restoreOrder.giveUp(series, place);
      throw error;
    }
    // The next place of the series waits for this mark before its POST (see waitForRestoreTurn).
    await this.restoreOrder.sent(series, place, UNSEEN_RESTORE_GIVES_UP_MS, holding);
    const reach = await this.reachAfterPost(request.target.nativeId, scope, { series, place, newestBefore, readBefore });
    return this.operation({ kind: 'RESTORE_BACKUP', startedAt, instanceNativeId: request.target.nativeId, backupNativeId: request.backup.nativeId, token: restoreToken(newestBefore, place, reach) }, 'RUNNING');
  }

  /**
   * The newest transaction of the VM once the restore's POST is answered, noted beside its place,
   * for its id's third part: its transaction is listed below it, or just above. Looked for up to
   * the newest one read before the POST, a restore whose POST was slow, or that waited its turn,
   * while 20 or more other transactions were listed was never found. Where that read fails or the
   * note is not written in time, the read before the POST (the restore is sent: it is answered).
   * The note is what replicas of the earlier version compare the third part with, so they follow it too.
   */
  private async reachAfterPost(vmId: string, scope: UpstreamScope, { series, place, newestBefore, readBefore }: { series: string; place: number; newestBefore: number; readBefore: number }): Promise<number> {
    const newestAfter = await this.transactionsOf(vmId, 1, scope).then(newestTransactionId, () => 0);
    if (newestAfter <= Math.max(newestBefore, readBefore)) return readBefore;
    return (await this.restoreOrder.note(series, place, reachNote(newestBefore, newestAfter), GIVEN_UP_KEPT_MS)) ? newestAfter : readBefore;
  }

  /**
   * A restore's status from the transactions that may be its own. One candidate answers; several
   * (restores before it may or may not have reached OnApp) answer only when they agree, and a
   * position not listed yet may hold this one's. Past UNSEEN_RESTORE_GIVES_UP_MS a position still
   * unlisted holds no transaction (as an unseen restore is taken never to have been made), so
   * the listed candidates decide; still at odds, the restore is FAILED: its outcome cannot be told.
   */
  private restoreOutcome(ref: OperationRef, found: RestoreCandidates | typeof READS_SPENT | undefined): Operation {
    const age = Date.now() - ref.startedAt.getTime();
    // Its transaction may be on a page not read, at work: RUNNING for as long as a restore under a word
    // the gateway does not know is waited on (restoreGiveUpMs), then FAILED saying where to look. Read
    // RUNNING at any age, a restore whose earlier restores were never listed never ended.
    if (found === READS_SPENT) return this.readsSpentOutcome(ref, age);
    const late = age > UNSEEN_RESTORE_GIVES_UP_MS;
    if (!found || found.listed.length === 0) {
      // No transaction shows a restore was ever asked: any id naming the VM reads so (Operation.noTraceAtProvider).
      return this.withNoTrace(
        late
          ? this.operation(ref, 'FAILED', null, `OnApp has listed no restore transaction for the backup within ${UNSEEN_RESTORE_GIVES_UP_MS / 60_000} minutes`)
          : this.operation(ref, 'PENDING'),
      );
    }
    // A word the gateway does not know is waited on for the account's restoreGiveUpMs, not the 30
    // minutes a transaction is given to be listed: listed, it is OnApp's record of the restore,
    // which may still be writing a large disk back.
    const wordGaveUp = Date.now() - ref.startedAt.getTime() > this.restoreGiveUpMs;
    const [status, ...others] = new Set(found.listed.map((transaction) => transactionOutcome(transaction, wordGaveUp)));
    const first = found.listed[0]!;
    if (others.length === 0 && (!found.unlisted || late)) {
      if (status === 'SUCCEEDED') return this.operation(ref, 'SUCCEEDED');
      if (status === 'FAILED') return this.operation(ref, 'FAILED', null, failedTransactionWhy(first, this.restoreGiveUpMs));
      // Several agreeing: which one's id is this restore's cannot be said.
      return this.operation(ref, 'RUNNING', found.listed.length === 1 ? idText(first.id, this.account.id) : null);
    }
    const why = 'an earlier restore of this virtual server failed after it may have reached OnApp, so which of its transactions is this restore\'s';
    return late
      ? this.operation(ref, 'FAILED', null, `${why} could not be told within ${UNSEEN_RESTORE_GIVES_UP_MS / 60_000} minutes: look at the virtual server in OnApp`)
      : this.operation(ref, 'PENDING', null, `${why} cannot be told until OnApp lists them all`);
  }

  /** A restore whose pages were not all read within a look's MOST_TRANSACTION_READS (see restoreOutcome). */
  private readsSpentOutcome(ref: OperationRef, age: number): Operation {
    const pages = `${MOST_TRANSACTION_READS} pages`;
    if (age <= this.restoreGiveUpMs) {
      return this.operation(ref, 'RUNNING', null, `OnApp lists more of this virtual server's transactions than the ${pages} one look reads between this restore's request and its transaction, so its outcome cannot be told here: look at the virtual server in OnApp`);
    }
    return this.operation(ref, 'FAILED', null, `the gateway could not find this restore's transaction in OnApp's transaction list within the ${pages} one look reads, ${Math.round(this.restoreGiveUpMs / 60_000)} minutes after the request (restoreGiveUpMs): it may be on a page not read, at work or done, so look at the virtual server in OnApp`);
  }

  /** The restores of `vmId` that read `newestBefore` as the VM's newest transaction. */
  private restoreSeriesOf(vmId: string, newestBefore: number): string {
    return `${this.account.id}:${vmId}:${newestBefore}`;
  }

  /**
   * OnApp schedules repeat every N days or weeks from a start time, so a
   * daily schedule (all seven days) or a weekly one (one day) can be made;
   * other day sets cannot be expressed and are refused before any call.
   */
  override async createSchedule(request: CreateScheduleRequest, scope: UpstreamScope): Promise<BackupSchedule> {
    const days = weekdayNumbers(request.weekdays);
    if (days.length !== 7 && days.length !== 1) throw badInput('OnApp schedules run daily or weekly: give all seven weekdays or exactly one');
    // Checked although it cannot be sent (see below): bad input is refused all the same.
    parseTime(request.time);
    const vmId = request.instance.nativeId;
    const disks = await this.list(`/virtual_machines/${segment(vmId)}/disks.json`, 'disks.list', 'disk', scope);
    const disk = this.pickDisk(disks);
    // A disk whose auto-backups are off keeps the schedule and takes nothing: the answer says so (no next run).
    const autobackups = autobackupsOn(disks.find((row) => diskIdOrNull(row.id, this.account.id) === disk)?.has_autobackups);
    // Only `action`, `duration`, `period` (and `rotation_period`) are documented:
    // no start time is sent. OnApp counts the period from the schedule's own
    // start (its answer's `start_at`, else `created_at`), which the answer shows.
    const body = await this.client.call('POST', `/settings/disks/${segment(disk)}/schedules.json`, 'schedules.create', scope, {
      schedule: { action: 'autobackup', duration: 1, period: days.length === 1 ? 'weeks' : 'days' },
    });
    const [row] = unwrapRecords(body, 'schedule');
    // OnApp took the create (a 2xx) but named no schedule. Failed NOT_FOUND, the key was freed and the
    // retry made a second schedule. Not answered from the input: with no id there is no schedule to
    // answer (nothing to delete or find it by), and a read of the disk's schedules cannot tell this
    // one from another of the same period (OnApp keeps no name of ours, nor a time: it counts from
    // creation). So a kept failure, replayed to the retry, that says where to look.
    if (!row) throw scheduleMayExist(this.account.id, 'its answer named no schedule', `a ${days.length === 1 ? 'weekly' : 'daily'} autobackup schedule made now`);
    return { ...mapSchedule(this.account.id, vmId, disk, row, this.account.timezone, autobackups), name: request.name };
  }

  /**
   * `DELETE /settings/schedules/:id.json`, the schedule resource of OnApp's PHP wrapper from API 4.2
   * on (`Schedule.php`, `Schedule/Disk.php`, `Schedule/VirtualMachine.php`: `settings/schedules`);
   * an OnApp older than that has it at `/schedules/:id.json` (the wrapper's `Disk/Schedule.php`, 2.0
   * to 4.1), and answers the newer path 404 (no such route): asked there next, so a 404 from both is
   * the schedule gone (NOT_FOUND), as before. Sent only to `/schedules/`, a current OnApp answered
   * every schedule delete 404, NOT_FOUND "not found at the provider", the schedule still running.
   * A 404 did nothing, so the second DELETE sends no write twice.
   */
  override async deleteSchedule(schedule: BackupSchedule, scope: UpstreamScope): Promise<void> {
    const id = segment(schedule.nativeId);
    try {
      await this.client.call('DELETE', `/settings/schedules/${id}.json`, 'schedules.delete', scope);
    } catch (error) {
      if (!isGatewayError(error) || error.code !== 'NOT_FOUND') throw error;
      await this.client.call('DELETE', `/schedules/${id}.json`, 'schedules.delete', scope);
    }
  }

  /** No job ids: a create follows the backup's `built` flag, a restore the VM's transactions. */
  async getOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation> {
    const vmId = ref.instanceNativeId;
    if (!vmId) throw badInput('operation id lacks its virtual server');
    if (ref.kind === 'RESTORE_BACKUP') {
      // An operation id from before the token carried it has no watermark (0): every listed restore of
      // the backup is newer, and the oldest listed is taken (it was the newest, on the first 5 pages).
      const newestBefore = Number(ref.token[0] ?? 0) || 0;
      const place = restorePlaceInToken(ref.token);
      let before: RestoresBefore = { sent: 0, uncertain: 0 };
      if (place > 1) {
        const claims = await this.restoreOrder.claimsUpTo([], this.restoreSeriesOf(vmId, newestBefore), place);
        // Unread, which of the VM's transactions is this restore's cannot be told: never another's outcome.
        if (claims === undefined) return this.operation(ref, 'PENDING', null, 'the shared store did not answer in time, so which OnApp transaction is this restore\'s cannot be told yet');
        before = restoresBeforePlace(claims.at(-1) ?? [], place);
      }
      const reach = await this.restoreReach(vmId, newestBefore, place, restoreReadInToken(ref.token, newestBefore));
      if (reach === undefined) return this.operation(ref, 'PENDING', null, 'the shared store did not answer in time, so which OnApp transaction is this restore\'s cannot be told yet');
      const found = await findRestoreCandidates((page) => this.transactionsOf(vmId, page, scope), ref.backupNativeId, newestBefore, this.account.id, before, reach);
      if (found === NO_SUCH_READ) throw notFound('operation', this.account.id);
      return this.restoreOutcome(ref, found);
    }
    if (ref.kind === 'CREATE_BACKUP' && !ref.backupNativeId) {
      const [diskId = '', highest = '0'] = ref.token;
      const place = placeInToken(ref.token);
      const [backups, remembered] = await Promise.all([this.backupsOf(vmId, scope), this.createOrder.olderOf(this.seriesOf(diskId, highest))]);
      const series = remembered === undefined ? undefined : await this.seriesUpTo(backups, remembered, diskId, highest, place);
      // Which new backup is this create's depends on the places before it: unread, it is not told
      // (see seriesUpTo), and the next poll reads them again. PENDING at any age: one slow read
      // cannot tell a create that never made its backup from one that did, and a FAILED here
      // (past the 30 minutes below) ended a create found long since, polled again later.
      if (series === undefined) return this.operation(ref, 'PENDING');
      const madeId = backupOfCreate(backups, diskId, series);
      // Not listed yet: OnApp queues the backup as a transaction first. One that never
      // shows up must end some time, or a dashboard follows it for ever. Nothing then shows the
      // create was ever asked: any id counting from above the highest listed reads so (Operation.noTraceAtProvider).
      if (!madeId) {
        return this.withNoTrace(
          Date.now() - ref.startedAt.getTime() > UNLISTED_CREATE_GIVES_UP_MS
            ? this.operation(ref, 'FAILED', null, `OnApp has not listed the new backup within ${UNLISTED_CREATE_GIVES_UP_MS / 60_000} minutes`)
            : this.operation(ref, 'PENDING'),
        );
      }
      const made = backups.find((backup) => backup.nativeId === madeId);
      if (!made) return this.operation({ ...ref, backupNativeId: madeId }, 'FAILED', null, 'the backup is gone');
      const mine = series.at(-1)?.places.at(-1);
      // Only a place a create holds records what it found: an id made up for a place never
      // taken would otherwise claim a backup for no create, and a placeless id reads place 1.
      // And only for a disk of the VM read: the id is the client's to write, and one naming
      // another client's disk, series and place beside a VM with an incremental backup (counted
      // for any disk) recorded that VM's backup as the other create's, which then ended FAILED.
      if (mine === 'open' && ref.token.length > 2 && (await this.isDiskOf(vmId, diskId, made, scope))) {
        await this.createOrder.found(this.seriesOf(diskId, highest), place, madeId);
      }
      return this.createOutcome({ ...ref, backupNativeId: made.nativeId }, made);
    }
    const backups = await this.backupsOf(vmId, scope);
    const backup = backups.find((item) => item.nativeId === ref.backupNativeId);
    if (ref.kind === 'DELETE_BACKUP') {
      // No transaction of OnApp's is read for it: any backup id not listed reads so (Operation.succeededByAbsence).
      if (!backup) return this.succeededByAbsence(ref);
      // Nor one to show it was ever asked: a backup listed reads so for any id naming it (Operation.noTraceAtProvider).
      return this.withNoTrace(
        Date.now() - ref.startedAt.getTime() > this.backupGiveUpMs
          ? this.operation(ref, 'FAILED', null, `OnApp still lists the backup ${Math.round(this.backupGiveUpMs / 60_000)} minutes after its delete (backupGiveUpMs): look at it before deleting it again`)
          : this.operation(ref, 'RUNNING'),
      );
    }
    if (!backup) return this.operation(ref, 'FAILED', null, 'the backup is gone');
    return ref.kind === 'CREATE_BACKUP' ? this.createOutcome(ref, backup) : this.operation(ref, backup.status === 'AVAILABLE' ? 'SUCCEEDED' : 'RUNNING');
  }

  /** A create whose backup is listed: SUCCEEDED once built, RUNNING until then, FAILED once backupGiveUpMs has passed. */
  private createOutcome(ref: OperationRef, backup: Backup): Operation {
    if (backup.status === 'AVAILABLE') return this.operation(ref, 'SUCCEEDED');
    if (Date.now() - ref.startedAt.getTime() <= this.backupGiveUpMs) return this.operation(ref, 'RUNNING');
    return this.operation(ref, 'FAILED', null, `OnApp lists the backup unbuilt ${Math.round(this.backupGiveUpMs / 60_000)} minutes after its create (backupGiveUpMs): its transaction may have failed, or it may yet be built, so look at it before creating another`);
  }

  /**
   * Whether `diskId` is a disk of the VM `vmId`. A backup listed under the VM
   * that names the disk says so without a call; an incremental one names no
   * disk, and then the VM's disks are read (once per create: its place then
   * holds what it found).
   */
  private async isDiskOf(vmId: string, diskId: string, listed: Backup, scope: UpstreamScope): Promise<boolean> {
    if (listed.diskId === diskId) return true;
    return (await this.disksOf(vmId, scope)).includes(diskId);
  }

  /** The creates of one disk that read the same highest backup id before their call: one series of places. */
  private seriesOf(diskId: string, highest: string): string {
    return `${this.account.id}:${diskId}:${highest}`;
  }

  /**
   * The places a create's backup is counted among: its own series up to its
   * place, after the older series of its disk still open (named by the ids
   * listed now and those `remembered` from when its series' creates started). Undefined when the
   * store does not answer in time. It gave the create's own series with every place before it
   * open, as if none was given up and no older series open: beside a place given up (its call
   * failed) the create was told of the backup of the create after it, which that create was
   * told of too.
   */
  private async seriesUpTo(backups: readonly Backup[], remembered: readonly string[], diskId: string, highest: string, place: number): Promise<SeriesClaims[] | undefined> {
    const older = olderHighests(backups, highest, remembered);
    const claims = await this.createOrder.claimsUpTo(
      older.map((value) => this.seriesOf(diskId, value)),
      this.seriesOf(diskId, highest),
      place,
    );
    if (claims === undefined) return undefined;
    return [...older, highest].map((value, index) => ({ highest: value, places: claims[index] ?? [] }));
  }

  /**
   * This create's place among the creates of `diskId` that read the
   * highest id of `before`, with the highest id its series counts from (see
   * below: past one full of finished creates). A store that does not answer
   * in time refuses the create before its call, nothing sent to OnApp. It
   * went ahead placeless before, read as the first of its series: beside the
   * create holding place 1 both were told of one backup (and the other's
   * backup was nobody's), which the client cannot see or undo; a refusal it
   * can send again.
   */
  private async takePlace(diskId: string, before: readonly Backup[]): Promise<{ highest: string; place: number }> {
    let highest = highestBackupId(before);
    for (let moves = 0; ; moves++) {
      // The older series as listed now, remembered beside the place: a backup naming one may be deleted before the operation reads.
      const taking = await this.createOrder.take(this.seriesOf(diskId, highest), UNLISTED_CREATE_GIVES_UP_MS, olderHighests(before, highest));
      // A refusal that did nothing: an idempotencyKey is released, and the same key may be sent again.
      if (taking === 'unanswered') throw this.placeUnanswered();
      if (taking !== 'full') return { highest, place: taking };
      // Found places are kept for a day, and a backup made and deleted again leaves the highest
      // id where it was: rounds of both filled the series with creates long finished, and every
      // create of the disk was refused for the day. A found id above the series' highest is not
      // listed (the create read a lower highest): deleted. OnApp's ids grow, so this create's
      // backup comes above it, and it counts from there, in a series of its own.
      const beyond = moves < SERIES_MOVES ? await this.createOrder.highestFound(this.seriesOf(diskId, highest)) : undefined;
      if (beyond === 'unanswered') throw this.placeUnanswered();
      if (beyond === undefined || (decimalIdOrder(beyond) ?? 0n) <= (decimalIdOrder(highest) ?? 0n)) {
        throw conflict(`${MOST_OVERLAPPING_CREATES} backups of this disk are being created already: try again once they are listed`, this.account.id);
      }
      highest = beyond;
    }
  }

  private placeUnanswered(): GatewayError {
    return storeUnavailable('the shared store did not answer in time, so this create could not take its place among the creates of its disk: nothing was sent to OnApp; send it again', this.account.id);
  }

  /**
   * A VM's backups; also what a create counts new ones among. A row naming
   * another VM (an incremental backup's `target_id`, mapper.ts vmOfBackup) is
   * that VM's, listed here by a panel that ignored the VM in the path: dropped.
   * A disk's backup names only its disk, another id space: it stays (telling
   * its VM needs the disk list, a call more per read).
   */
  private async backupsOf(vmId: string, scope: UpstreamScope): Promise<Backup[]> {
    const rows = await this.list(`/virtual_machines/${segment(vmId)}/backups.json`, 'backups.list', 'backup', scope);
    return backupsOfVm(await mapReadableRows(rows, (row) => mapBackup(this.account.id, vmId, row), { provider: this.account.id, list: 'backups', instanceNativeId: vmId }, scope), vmId, (dropped) => this.foreignRows(this.account, dropped));
  }

  /** The VM's disks a create may have been of: one whose id cannot be used is none (a create never acts on it: diskIdToActOn). */
  private async disksOf(vmId: string, scope: UpstreamScope): Promise<string[]> {
    return (await this.scheduledDisksOf(vmId, scope, () => undefined)).map((disk) => disk.id);
  }

  /** The VM's non-swap disks, each with whether OnApp takes its auto-backups (see ScheduledDisk); each whose id cannot be used told to `leftOut`. */
  private async scheduledDisksOf(vmId: string, scope: UpstreamScope, leftOut: (reason: string) => void): Promise<ScheduledDisk[]> {
    const rows = await this.list(`/virtual_machines/${segment(vmId)}/disks.json`, 'disks.list', 'disk', scope);
    return rows.filter((disk) => disk.is_swap !== true).flatMap((disk) => {
      const scheduled = this.scheduledDisk(disk);
      if (scheduled instanceof UnreadableNativeId) {
        leftOut(scheduled.message);
        return [];
      }
      return [scheduled];
    });
  }

  /** The disk as its schedules are read, or why it cannot be (its id is of no use in their URL: disk-id.ts). */
  private scheduledDisk(row: Record<string, unknown>): ScheduledDisk | UnreadableNativeId {
    try {
      return { id: diskIdOf(row.id, this.account.id), autobackups: autobackupsOn(row.has_autobackups) };
    } catch (error) {
      if (error instanceof UnreadableNativeId) return error;
      throw error;
    }
  }

  /** Non-swap disks of every VM of the account, by VM id; null when the account may not list them all. */
  private async accountDisks(scope: UpstreamScope): Promise<AccountDisks | null> {
    let disks: Array<Record<string, unknown>>;
    try {
      disks = await this.list('/settings/disks.json', 'disks.list_all', 'disk', scope);
    } catch (error) {
      // A 403 in OnApp's words is ACTION_NOT_PERMITTED (the user's role), another 403 still HTTP_403.
      if (isGatewayError(error) && (error.code === 'NOT_FOUND' || error.details.providerCode === 'HTTP_403' || error.details.providerCode === ACTION_NOT_PERMITTED)) return null;
      throw error;
    }
    const byVm = new Map<string, ScheduledDisk[]>();
    const leftOut = new RowsLeftOutByVm();
    const noVm = new RowsOfNoVm();
    for (const disk of disks) {
      if (disk.is_swap === true || disk.virtual_machine_id === undefined || disk.virtual_machine_id === null) continue;
      const vmId = vmIdOrNoVm(disk.virtual_machine_id, this.account.id, noVm, idText);
      if (vmId === NO_VM) continue;
      const scheduled = this.scheduledDisk(disk);
      if (scheduled instanceof UnreadableNativeId) {
        leftOut.add(vmId, scheduled.message);
        continue;
      }
      const disks = byVm.get(vmId) ?? [];
      disks.push(scheduled);
      byVm.set(vmId, disks);
    }
    return { byVm, leftOut, noVm };
  }

  /** A list read: its answer must be a list (see `listRecords`). The first page is asked without `page`, as before paging was followed. */
  private transactionsOf(vmId: string, page: number, scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const query = page === 1 ? '' : `?page=${page}`;
    return this.list(`/virtual_machines/${segment(vmId)}/transactions.json${query}`, 'transactions.list', 'transaction', scope);
  }

  private async list(path: string, operation: string, type: string, scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    return listRecords(await this.client.call('GET', path, operation, scope), type, this.account.id);
  }

  /**
   * The disk to act on: `requested` when given, else the primary one. OnApp
   * addresses disks without their VM, so a disk of another VM would be
   * backed up silently: the requested disk must be one of this VM's.
   */
  private async chooseDisk(vmId: string, scope: UpstreamScope, requested: number | null = null): Promise<string> {
    return this.pickDisk(await this.list(`/virtual_machines/${segment(vmId)}/disks.json`, 'disks.list', 'disk', scope), requested);
  }

  /** As chooseDisk, among the VM's disk records read already. */
  private pickDisk(disks: ReadonlyArray<Record<string, unknown>>, requested: number | null = null): string {
    if (requested !== null) {
      if (!disks.some((disk) => diskIdOrNull(disk.id, this.account.id) === String(requested))) throw badInput(`disk ${requested} is not a disk of this virtual server`);
      return String(requested);
    }
    const primary = disks.find((disk) => disk.primary === true) ?? disks.find((disk) => disk.is_swap !== true);
    if (!primary) throw badInput('the virtual server has no disk to back up');
    return diskIdToActOn(primary.id, this.account.id);
  }
}

/**
 * A listed restore transaction's outcome (its words inferred: see transaction-status.ts). A status
 * word the gateway does not know is waited on as running until `wordGaveUp` (the account's
 * restoreGiveUpMs has passed), then FAILED: read as running for good, a panel's own word for an
 * ended transaction left the restore RUNNING for ever. A known running word stays RUNNING: OnApp
 * says the restore is still at work.
 */
function transactionOutcome(transaction: TransactionRow, wordGaveUp: boolean): 'SUCCEEDED' | 'FAILED' | 'RUNNING' {
  const state = transactionState(transaction.status);
  if (state === 'UNKNOWN') return wordGaveUp ? 'FAILED' : 'RUNNING';
  return state;
}

/** Why a restore whose transaction is read FAILED failed, quoting OnApp's word only as a short plain token (it is the provider's string). */
function failedTransactionWhy(transaction: TransactionRow, restoreGiveUpMs: number): string {
  if (transactionState(transaction.status) !== 'UNKNOWN') return `transaction ${clipProviderCode(transaction.status, 'failed')}`;
  const word = clipProviderCode(transaction.status, '');
  const quoted = word !== '' && word === transaction.status ? `"${word}"` : 'a word that is no plain status';
  return `OnApp's restore transaction reads ${quoted}, a status the gateway does not know, ${Math.round(restoreGiveUpMs / 60_000)} minutes after the request (restoreGiveUpMs): it may still be running, so look at the virtual server in OnApp`;
}
