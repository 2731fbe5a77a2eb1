import { UnusableNativeId } from '../../domain/unusable-native-id.js';
import { GatewayError, badInput, conflict, providerError } from '../../domain/errors.js';
import type { Backup, Capability, CreateBackupRequest, Instance, Operation, OperationKind, OperationRef, RestoreBackupRequest } from '../../domain/types.js';
import type { UpstreamClient } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { BaseAdapter, type BatchResult, type ProviderAccount } from '../adapter.js';
import { appendAll } from '../../domain/arrays.js';
import { UNNAMED_ZSTACK_ERROR, ZstackClient, hasZstackError, isSessionRefusal, newJobUuid, zstackError, type SessionRefusedInJob } from './client.js';
import { DEFAULT_BACKUP_GIVE_UP_MS, type ZstackConfig } from './config.js';
import { chunkForUrl, groupBackups, isUserVm, isVolumeOnlyBackup, mapInstance } from './mapper.js';
import { backupOfExpiredCreate, expiredCreateStatus } from './expired-create.js';
import { storeOfBackup, storesToDeleteFrom } from './backup-storage.js';
import { MissingResourceAnswer, isExpiredJobAnswer, isResourceNotFound, isZstackOwnError, jobPollNotFound } from './not-found.js';
import { ExpiredJobAnswers } from './expired-job-answers.js';
import { TIMED_OUT_REVERT, isTimeout } from './timed-out-job.js';
import { unrevertableBackup } from './revertable-backup.js';
import { checkJobAnswer, readFromJob } from './answered-job.js';
import { mapReadableRows } from '../readable-rows.js';
import { rootVolumeOf, vmVolumes, volumeRowsOf } from './vm-volumes.js';
import { rootVolumesOf, withSharedRootVolumes } from './shared-root-volumes.js';
import { RowsLeftOutByVm } from '../rows-left-out-by-vm.js';
import { RowsOfNoVm } from '../rows-of-no-vm.js';
import { checkListSize, repeatsPage } from '../paging.js';

/** VMs per page of `vm-instances` (ZStack's own default limit is 1000). */
const PAGE_SIZE = 500;
/** Query strings stay under this: common proxies refuse URLs beyond 8 KB. */
const MAX_QUERY_LENGTH = 4_000;
/** Volume backups per page; a page holds every volume of many VMs. */
const BACKUP_PAGE_SIZE = 5_000;
/**
 * Every query's order, so its pages do not overlap: without `sort` ZStack sends no ORDER BY and
 * the database's order may change between pages, skipping one row and repeating another at a
 * boundary. `sort=+f` / `-f` (providers.md; ZStack's Java SDK writes a QueryAction's sortBy and
 * sortDirection so, ZSClient). By uuid, a field each row has once: a sort by createDate ties for
 * every volume of a backup (one date), and rows that tie may still swap between pages. Newest
 * first is the gateway's own sort (backup-order.ts), whatever ZStack's order.
 */
const QUERY_ORDER = '+uuid';

/**
 * How many times a query is read again from its start when its `total` falls between two pages, or
 * a page's first row is not the last row read (a row deleted meanwhile skips the row after the offset). Each costs its pages' calls, within
 * `limits.maxUpstreamCallsPerRequest`; a reading past them that falls too is PROVIDER_ERROR
 * LIST_CHANGING (listKeptChanging), not a list short of a row.
 */
const MOST_QUERY_REREADS = 2;

/**
 * Rows each page after a query's first reads again: it starts at the last row read, which is its
 * first row unless rows moved. A row deleted ahead of the offset and another made behind it between
 * two pages left `total` as it was, yet moved every later row up one place: the first of the next
 * page was never read, a list short of a row told to nobody. Its first row not seen before says so.
 */
const PAGE_OVERLAP = 1;

export const ZSTACK_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>(['LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS', 'NAME_BACKUP']);

const UUID = /^[0-9a-f]{32}$/;

/** ZStack's SysErrors.INVALID_ARGUMENT_ERROR: a query condition on a field its inventory lacks is refused so. */
const INVALID_ARGUMENT = 'SYS.1007';

/**
 * How long a node's refusal of `vmInstanceUuid` as a query field is taken as its answer: a node
 * upgraded since (or a refusal of a node behind the same address for a while) is asked again after it.
 */
export const VM_FIELD_REFUSAL_KEPT_MS = 10 * 60_000;
/** What ZStack did, where its own list named an id of no uuid's shape (UnusableNativeId.listedByProvider). */
const NO_ZSTACK_UUID = 'listed an object whose uuid is no ZStack uuid (32 hex digits), so it cannot be asked by it';

/**
 * A uuid as it goes into a URL path. A client's of no uuid's shape is its input; one ZStack's own list
 * named (a VM's `rootVolumeUuid`, a listed backup's uuid) is the provider's answer (UnusableNativeId,
 * told so by writeOnListed): BAD_USER_INPUT blamed the client for a VM the gateway had listed.
 */
const uuidSegment = (value: string): string => {
  if (!UUID.test(value)) throw new UnusableNativeId('not a ZStack uuid', NO_ZSTACK_UUID);
  return value;
};

/**
 * A VM id of no ZStack uuid's shape, which no backup query can ask by (`vmInstanceUuid?=`, nor its
 * volumes found by `uuid?=`): its backups are this error, not the empty list they read, a VM the
 * gateway never asked about counted UNPROTECTED. A client's such id names no VM (NOT_FOUND).
 */
const unaskableVm = (): UnusableNativeId => new UnusableNativeId('object not found', NO_ZSTACK_UUID, 'NOT_FOUND');

type Inventories = { inventories?: Array<Record<string, unknown>>; total?: number };

/** A job id as it may appear in an `api-jobs` path: ZStack's are 32 hex digits; other shapes are accepted but kept path-safe. */
const JOB_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The job an operation id names, in the shape a ZStack job uuid takes, else BAD_USER_INPUT. */
function jobOf(ref: OperationRef): string {
  const jobUuid = ref.token[0];
  if (!jobUuid || !JOB_ID.test(jobUuid)) throw badInput('operation id lacks its job');
  return jobUuid;
}

/**
 * The job a 202 names: "Non-query APIs answer 202 with
 * {"location":"http://…/zstack/v1/api-jobs/{jobUuid}"}". The location is the
 * authority; the job uuid the gateway sent (X-Job-UUID, RestConstants in
 * zstackio/zstack's rest module) is used only when no location came back. The
 * location's host is not followed: the job is polled at the configured
 * endpoint, so a location naming an internal host still works and no URL
 * from the provider is ever requested.
 */
export function jobIdOf(body: unknown, sentJobUuid: string): string {
  const location = (body as { location?: unknown } | null)?.location;
  if (typeof location !== 'string') return sentJobUuid;
  const match = /\/api-jobs\/([^/?#]+)\/?(?:[?#].*)?$/.exec(location);
  const id = match ? (match[1] as string) : null;
  return id && JOB_ID.test(id) ? id : sentJobUuid;
}

/**
 * The VM backup a create's result names: the `groupUuid` its volume backups share (the docs' example
 * gives it on the root volume only). One of no ZStack uuid's shape names nothing (as a `location`
 * of no job id's shape, jobIdOf): 2,000 characters of it went into `backupId` as sent, an id the
 * gateway then refused as the client's "malformed id", and no such group can be asked for anyway.
 */
function createdGroup(body: unknown): string | null {
  const group = ((body as Inventories | null)?.inventories ?? []).map((row) => row.groupUuid).find((value) => typeof value === 'string' && value !== '');
  return typeof group === 'string' && UUID.test(group) ? group : null;
}

/**
 * An expired revert cannot be judged: its job's result is `{"success": true}` alone, the backup it
 * read from is unchanged either way, and the documents name no VM state, volume field or event
 * that marks a finished revert (a VM's `state` and `lastOpDate` change for any reason; ZStack's
 * source has a VolumeRecovering state, but a job's result expires only once it has finished, by
 * then the VM has left it). The backups, which the old words sent the user to, tell nothing here.
 */
const EXPIRED_RESTORE = 'the provider no longer knows this job (expired), and nothing ZStack lists tells whether the revert was done: look at the VM before reverting it again';

/**
 * A job failed for its session (ID.1001), nothing done. One from a login is sent again with the next
 * login's; the config's fixed `sessionId` is refused again until the operator replaces it.
 */
const SESSION_REFUSED_IN_JOB: Readonly<Record<SessionRefusedInJob, string>> = {
  expired: 'the provider refused the session the gateway sent (expired); nothing was done, send the request again',
  configured: "the provider refused the gateway's configured session (the account's sessionId); nothing was done: the gateway's operator must put the account's auth right in the config, then send the request again",
};

/**
 * A backup of one volume outside any VM backup (ZStack lists it without a `groupUuid`): the
 * gateway deletes and reverts VM backups by their group (`vm-backups/{groupUuid}`), which does not
 * act on it, and a delete of a group ZStack does not have succeeds doing nothing.
 */
const volumeOnly = (action: 'deletes' | 'reverts'): string =>
  `this backup is of one volume, outside any VM backup (ZStack lists it without a groupUuid), and the gateway ${action} VM backups only, so nothing was sent to ZStack; act on it in ZStack's own console`;

/** ZStack: one query for the backups of many VMs, asynchronous jobs for everything that changes. */
export class ZstackAdapter extends BaseAdapter {
  readonly capabilities = ZSTACK_CAPABILITIES;
  /**
   * How long a create judged by its backup (its job timed out or expired) reads RUNNING while the
   * backup is still being made; FAILED after (judgedCreate). A delete so judged whose backup is
   * still listed Deleting ends with it too (judgedDelete).
   */
  readonly backupGiveUpMs: number;
  private readonly client: ZstackClient;

  constructor(
    account: ProviderAccount,
    upstream: UpstreamClient,
    private readonly config: ZstackConfig,
  ) {
    super(account, upstream);
    this.client = new ZstackClient(upstream, config.auth, config.sessionRenewedOnUse ?? false);
    this.backupGiveUpMs = config.backupGiveUpMs ?? DEFAULT_BACKUP_GIVE_UP_MS;
  }

  async listInstances(scope: UpstreamScope): Promise<Instance[]> {
    const rows = (await this.query('/vm-instances', [], PAGE_SIZE, 'vm-instances.query', scope, true)).filter(isUserVm);
    this.rememberVmRows(rows, scope);
    if (scope.requestId !== undefined) this.vmListsRead.set(scope, rows);
    return mapReadableRows(rows, (row) => mapInstance(this.account.id, row), { provider: this.account.id, list: 'instances', instanceNativeId: null }, scope);
  }

  override async getInstances(nativeIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Instance | null>> {
    const asked = new Set<unknown>(nativeIds.filter((id) => UUID.test(id)));
    const found = new Map<string, Instance>();
    // A lookup, not a list: a row of a VM not asked for (a node that ignored the condition) is
    // nobody's answer, and is not read at all. Mapped, one whose uuid the gateway cannot read
    // back failed every VM asked in its batch; it cannot be one of them (each asked is a uuid),
    // so there is no list it was left out of and nothing to report. A row of an asked VM is read
    // whole, as before: any failure of it fails the lookup, never answers null for a listed VM.
    for (const row of await this.vmRows(nativeIds, scope)) {
      if (!asked.has(row.uuid)) continue;
      const instance = mapInstance(this.account.id, row);
      // Of a record the answer repeats, the first, as lists keep it (loaders.ts).
      if (!found.has(instance.nativeId)) found.set(instance.nativeId, instance);
    }
    return nativeIds.map((id) => found.get(id) ?? null);
  }

  /** The users' VM rows of these uuids (`uuid?=a,b,...`), split only by URL length. */
  private async vmRows(nativeIds: readonly string[], scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const wanted = [...new Set(nativeIds.filter((id) => UUID.test(id)))];
    const chunks = chunkForUrl(wanted, MAX_QUERY_LENGTH, 64);
    const rows = (await Promise.all(chunks.map((chunk) => this.query('/vm-instances', [`uuid?=${chunk.join(',')}`], PAGE_SIZE, 'vm-instances.query', scope)))).flat().filter(isUserVm);
    this.rememberVmRows(rows, scope);
    return rows;
  }

  /**
   * The VM rows a client request has read (its instance list, its instances by id), so its backup
   * lists, which need the VMs' volumes, ask for none of them again. Kept for that request alone (a
   * WeakMap on its scope): work no client caused shares one scope for good, and would keep them stale.
   */
  private readonly vmRowsRead = new WeakMap<UpstreamScope, Map<unknown, Record<string, unknown>>>();

  private rememberVmRows(rows: ReadonlyArray<Record<string, unknown>>, scope: UpstreamScope): void {
    if (scope.requestId === undefined) return;
    let read = this.vmRowsRead.get(scope);
    if (!read) this.vmRowsRead.set(scope, (read = new Map()));
    // The first of a row the answers repeat, as instances keep it.
    for (const row of rows) if (!read.has(row.uuid)) read.set(row.uuid, row);
  }

  /**
   * The whole VM list a client request has read (listInstances), for that request alone as
   * vmRowsRead: every VM row naming a root volume is in it, so its backup lists ask ZStack no
   * more about which VMs claim one (rootClaimants).
   */
  private readonly vmListsRead = new WeakMap<UpstreamScope, ReadonlyArray<Record<string, unknown>>>();

  /** Whether each job poll's 404 was ZStack's own (expired-job-answers.ts). */
  private readonly expiredJobAnswers = new ExpiredJobAnswers();

  /**
   * The user VM rows naming any of these root volumes: the request's whole VM list where it read
   * one, else ZStack's answer to `rootVolumeUuid?=` (one query, split only by URL length). Read
   * from the asked VMs' rows alone, a root volume two rows named was caught only where a request
   * read both (a dashboard): instance(id:) or a page holding one answered its backups, PROTECTED.
   * A claimant naming the volume only in `allVolumes` is not found by it; asking `allVolumes.uuid?=`
   * too is not done (a query no document names, one more per batch: docs/providers.md says why).
   */
  private async rootClaimants(roots: readonly string[], scope: UpstreamScope): Promise<ReadonlyArray<Record<string, unknown>>> {
    if (roots.length === 0) return [];
    const listed = scope.requestId === undefined ? undefined : this.vmListsRead.get(scope);
    if (listed) return listed;
    const chunks = chunkForUrl(roots, MAX_QUERY_LENGTH, 64);
    return (await Promise.all(chunks.map((chunk) => this.query('/vm-instances', [`rootVolumeUuid?=${chunk.join(',')}`], PAGE_SIZE, 'vm-instances.query', scope)))).flat().filter(isUserVm);
  }

  /** The rows of these VMs: those this request has read, and one batched query for the rest. */
  private async vmRowsForBackups(ids: readonly string[], scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const read = scope.requestId === undefined ? undefined : this.vmRowsRead.get(scope);
    const known = ids.flatMap((id) => {
      const row = read?.get(id);
      return row ? [row] : [];
    });
    const unread = ids.filter((id) => !read?.has(id));
    return unread.length === 0 ? known : [...known, ...(await this.vmRows(unread, scope))];
  }

  /**
   * The backups of many VMs: their VMs' rows first (one batched `vm-instances` query for those the
   * request has not read already), then the
   * volume backups of those VMs' volumes (`volumeUuid?=a,b,...`, the field the API docs' volume
   * backup list names), each split only by URL length. A row naming its VM (`vmInstanceUuid`,
   * which the docs do not list, though nodes send it) is that VM's; one without is its root
   * volume's VM's (vm-volumes.ts): asked by `vmInstanceUuid`, such rows matched nothing and every
   * VM read UNPROTECTED. A VM no longer listed has no volumes to ask by: its backups are asked by
   * `vmInstanceUuid` still, as are those of a VM whose row names no root volume the gateway can
   * read, or more volumes than it asks by (vm-volumes.ts; rowsByVm: on a node refusing that field,
   * a VM no longer listed is an error of its own and the others answer). Rows of VMs not asked
   * for, from a node that ignored the condition, go to nobody. A VM id of no uuid's shape is never
   * asked by (unaskableVm).
   */
  async listBackups(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Backup[]>> {
    const valid = [...new Set(instanceIds.filter((id) => UUID.test(id)))];
    const asked = new Set<unknown>(valid);
    // Only the VMs asked for: a node that ignored `uuid?=` answered every VM, and every VM's volumes were asked.
    const vmRows = (await this.vmRowsForBackups(valid, scope)).filter((row) => asked.has(row.uuid));
    const ownVolumes = vmVolumes(this.account.id, vmRows);
    const unlisted = valid.filter((id) => !ownVolumes.listed.has(id));
    const byVolume = chunkForUrl(ownVolumes.volumes, MAX_QUERY_LENGTH, 64).map((chunk) => `volumeUuid?=${chunk.join(',')}`);
    const answers = Promise.all(byVolume.map((condition) => this.query('/volume-backups', [condition], BACKUP_PAGE_SIZE, 'volume-backups.query', scope)));
    // Once each: a node repeating a VM's row named it twice.
    const byVm = this.rowsByVm([...new Set([...unlisted, ...ownVolumes.askByVmToo])], scope);
    const [volumeRows, vmRowsAnswer, claimants] = await Promise.all([answers, byVm, this.rootClaimants(rootVolumesOf(vmRows), scope)]);
    const volumes = withSharedRootVolumes(ownVolumes, vmRows, claimants);
    const leftOut = new RowsLeftOutByVm();
    const noVm = new RowsOfNoVm();
    const grouped = groupBackups(this.account.id, eachRowOnce([...volumeRows, ...vmRowsAnswer.rows]), this.account.timezone, volumes, leftOut, noVm);
    leftOut.reportTo(scope, this.account.id, 'backups', instanceIds);
    noVm.reportTo(scope, this.account.id, 'backups');
    const unanswerable = vmRowsAnswer.refused ? new Set(unlisted) : null;
    return instanceIds.map((id) => {
      const sharing = volumes.sharedRootVolume.get(id);
      if (sharing) return this.sharedRootVolumeError(sharing);
      return unanswerable?.has(id) ? this.vmFieldRefusedError() : (grouped.get(id) ?? (UUID.test(id) ? [] : unaskableVm()));
    });
  }

  /**
   * The backups of VMs whose rows name one root volume (vm-volumes.ts): whose backups they are
   * cannot be told, so neither VM's are answered. The VMs are named by their uuids alone (the asked
   * ones UUID-checked above, the claimants' in withSharedRootVolumes), never the rows' other text.
   */
  private sharedRootVolumeError(vms: readonly string[]): GatewayError {
    return providerError(
      this.account.id,
      `provider ${this.account.id} listed VMs ${vms.join(', ')} with one root volume, so whose backups that volume's are cannot be told: the backups of neither VM are answered; look at the VMs in ZStack`,
      'INVALID_RESPONSE',
    );
  }

  /**
   * Whether this account's node refuses `vmInstanceUuid` as a volume-backup query field: the API
   * docs' volume-backup fields do not list it, and ZStack's query builder refuses a condition on a
   * field its inventory lacks (SYS.1007, "condition name[...] is invalid, no such field on inventory
   * class[...]", answered 503 as any failed query). Once refused, VMs are asked by their volumes
   * only: the refusal failed every VM's backups in its request, a whole dashboard for one VM past
   * the volume cap. Kept VM_FIELD_REFUSAL_KEPT_MS (its Date.now()), then asked again: kept for the
   * process's life, a node upgraded later was never asked by it again.
   */
  private vmFieldRefusedAt: number | null = null;

  /**
   * The volume-backup rows of VMs the volumes cannot find (no longer listed, or past the volume
   * cap), asked by `vmInstanceUuid?=`; none, `refused`, where the node refuses that field.
   */
  private async rowsByVm(vms: readonly string[], scope: UpstreamScope): Promise<{ rows: Array<Array<Record<string, unknown>>>; refused: boolean }> {
    if (vms.length === 0) return { rows: [], refused: false };
    if (this.vmFieldRefusedAt !== null && Date.now() - this.vmFieldRefusedAt < VM_FIELD_REFUSAL_KEPT_MS) return { rows: [], refused: true };
    const conditions = chunkForUrl([...new Set(vms)], MAX_QUERY_LENGTH, 64).map((chunk) => `vmInstanceUuid?=${chunk.join(',')}`);
    try {
      const rows = await Promise.all(conditions.map((condition) => this.query('/volume-backups', [condition], BACKUP_PAGE_SIZE, 'volume-backups.query', scope)));
      this.vmFieldRefusedAt = null;
      return { rows, refused: false };
    } catch (error) {
      // Every id in the condition is a uuid and the field a text one, so an invalid argument is the field itself.
      if (!(error instanceof GatewayError) || error.code !== 'PROVIDER_ERROR' || error.details.providerCode !== INVALID_ARGUMENT) throw error;
      this.vmFieldRefusedAt = Date.now();
      return { rows: [], refused: true };
    }
  }

  /** The backups of a VM no longer listed, on a node that refuses `vmInstanceUuid`: nothing left to ask them by. */
  private vmFieldRefusedError(): GatewayError {
    return providerError(
      this.account.id,
      `provider ${this.account.id} no longer lists this VM, so its backups cannot be asked by its volumes, and this ZStack refuses to query volume backups by VM (vmInstanceUuid, ${INVALID_ARGUMENT}): look at the backups in ZStack`,
      INVALID_ARGUMENT,
    );
  }

  override async createBackup(request: CreateBackupRequest, scope: UpstreamScope): Promise<Operation> {
    // Blank or absent, read as the backup list reads it (vm-volumes.ts): the `allVolumes` entry typed
    // Root. By `rootVolumeUuid` alone, a VM whose row left it blank, and whose backups the list found by
    // that Root entry, was refused BAD_USER_INPUT "the VM has no root volume to back up". One that is
    // there but no ZStack uuid is the provider's INVALID_RESPONSE below (the row contradicts itself:
    // backing up the Root entry instead would be a guess), not passed over for the other.
    const listedRoot = request.instance.raw.rootVolumeUuid;
    const rootVolumeUuid =
      typeof listedRoot === 'string' && listedRoot.trim() !== '' ? listedRoot : rootVolumeOf(request.instance.raw, volumeRowsOf(request.instance.raw));
    if (!rootVolumeUuid) throw badInput('the VM has no root volume to back up');
    // The uuid ZStack is to give the backup ("resourceUuid", optional, since 3.0.0), kept in the
    // operation id: a create whose job expired is then told by it, not by its name and second.
    const resourceUuid = newJobUuid();
    return this.startJob('CREATE_BACKUP', request.instance.nativeId, null, [request.name, resourceUuid], {
      method: 'POST',
      path: `/volumes/${uuidSegment(rootVolumeUuid)}/vm-backups`,
      body: { params: { backupStorageUuid: this.config.backupStorageUuid, name: request.name, resourceUuid, ...(request.note ? { description: request.note } : {}) } },
      operation: 'vm-backups.create',
    }, scope);
  }

  override async deleteBackup(backup: Backup, scope: UpstreamScope): Promise<Operation> {
    if (isVolumeOnlyBackup(backup)) throw conflict(volumeOnly('deletes'), this.account.id);
    // Every store holding it (backup-storage.ts), the list's items as repeated parameters, as ZStack's
    // Java SDK (ZSClient) writes a List in the query; the simulator reads commas too.
    const stores = storesToDeleteFrom(backup, this.config.backupStorageUuid);
    const search = new URLSearchParams([...stores.map((store): [string, string] => ['backupStorageUuids', store]), ['deleteMode', 'Permissive']]).toString();
    return this.startJob('DELETE_BACKUP', backup.instanceNativeId, backup.nativeId, [], { method: 'DELETE', path: `/vm-backups/${uuidSegment(backup.nativeId)}`, search, operation: 'vm-backups.delete' }, scope);
  }

  override async restoreBackup(request: RestoreBackupRequest, scope: UpstreamScope): Promise<Operation> {
    if (request.target.nativeId !== request.backup.instanceNativeId) throw badInput('ZStack reverts a VM from its own backup only');
    if (isVolumeOnlyBackup(request.backup)) throw conflict(volumeOnly('reverts'), this.account.id);
    const unrevertable = unrevertableBackup(request.backup);
    if (unrevertable !== null) throw conflict(unrevertable, this.account.id);
    return this.startJob('RESTORE_BACKUP', request.target.nativeId, request.backup.nativeId, [], {
      method: 'PUT',
      path: `/vm-backups/${uuidSegment(request.backup.nativeId)}/actions`,
      // The body key must be the action name (a "params" wrapper is refused).
      body: { revertVmFromVmBackup: { backupStorageUuid: storeOfBackup(request.backup, this.config.backupStorageUuid) } },
      operation: 'vm-backups.revert',
    }, scope);
  }

  override async syncBackups(storageId: string | null, scope: UpstreamScope): Promise<Operation> {
    const store = storageId ?? this.config.backupStorageUuid;
    return this.startJob('SYNC_BACKUPS', null, null, [], { method: 'PUT', path: `/vm-backups/imageStore/${uuidSegment(store)}/actions`, body: { syncVmBackup: {} }, operation: 'vm-backups.sync' }, scope);
  }

  /**
   * Polls the job: 202 running, 200 done, 503 failed, 404 expired; and an
   * answer whose `error` is not null failed whatever its status ("If not
   * null, the operation failed", ZStack API docs). The job id comes from the
   * operation id (the 202's location, or the uuid the gateway sent), so a
   * restarted gateway polls the same job. A 503 without ZStack's error body
   * is an outage (PROVIDER_UNAVAILABLE), not a failed job.
   */
  /**
   * Every read: no job's answer names the VM or backup it acted on (answered-job.ts), and a job
   * ZStack no longer knows (404, expired or made up) was read from the backup lists, a job poll and
   * a list read for each id a client wrote. An id without a job is BAD_USER_INPUT first.
   */
  override toldOnlyWhereStarted(ref: OperationRef): boolean {
    jobOf(ref);
    return true;
  }

  async getOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation> {
    const jobUuid = jobOf(ref);
    // ZStack's words, or its JSON error (a node that writes the expiry so): its own answer about the job.
    const ownNotFound = (body: unknown, text: string): boolean => this.expiredJobAnswers.heard(jobUuid, isExpiredJobAnswer(body, text) || isZstackOwnError(body));
    const response = await this.client.call({ method: 'GET', path: `/api-jobs/${encodeURIComponent(jobUuid)}`, operation: 'api-jobs.get', passStatuses: [404], readsError: true, ownNotFound }, scope);
    // "404 with "the job has been expired"" carries an error body too: expiry is judged first. Any
    // other 404 (a proxy's or web server's page) says nothing of the job: the poll fails, the next asks again.
    if (response.status === 404) {
      if (this.expiredJobAnswers.said(jobUuid)) return this.expired(ref, jobUuid, scope);
      this.upstream.answeredByAnotherServer();
      throw jobPollNotFound(this.account.id);
    }
    checkJobAnswer(ref, response.body, this.account.id);
    return readFromJob(await this.answeredJob(ref, jobUuid, response, scope));
  }

  /** A job ZStack still answers: its status, judged by what ZStack lists where the answer alone cannot tell. */
  private async answeredJob(ref: OperationRef, jobUuid: string, response: { status: number; body: unknown }, scope: UpstreamScope): Promise<Operation> {
    if (isSessionRefusal(response.body)) {
      // A call sent with a session that had died is accepted (202) and its job fails with ID.1001
      // before anything is done; the session it was sent with is dropped so the next call logs in again.
      const refusedSession = this.client.sessionRefusedInJob(ref.startedAt);
      const refused = this.operation(ref, 'FAILED', jobUuid, SESSION_REFUSED_IN_JOB[refusedSession]);
      return { ...refused, ...failureCodes(zstackError(this.upstream, response.body), false) };
    }
    if (hasZstackError(response.body)) {
      if (ref.kind === 'DELETE_BACKUP' && isResourceNotFound(response.body)) return this.deleteOfMissing(ref, jobUuid, response.body, scope);
      if (isTimeout(response.body)) return this.timedOut(ref, jobUuid, response.body, scope);
      return this.failedJob(ref, jobUuid, response.body, scope);
    }
    if (response.status === 202) return this.operation(ref, 'RUNNING', jobUuid);
    if (ref.kind === 'DELETE_BACKUP') return this.finishedDelete(ref, jobUuid, scope);
    const groupUuid = createdGroup(response.body);
    return this.operation(groupUuid ? { ...ref, backupNativeId: groupUuid } : ref, 'SUCCEEDED', jobUuid);
  }

  /**
   * A delete whose job succeeded is done once its backup group is no longer listed. A group still
   * listed (not Deleting) is held on a store the delete did not name (one added since the backup
   * was read: ZStack's own schedule, a sync): it is FAILED, naming the stores, not SUCCEEDED
   * beside a backup that is still there. A list that fails fails the poll; the next asks again.
   * A group still Deleting is judged as a timed-out delete's (judgedDelete): the job's success says
   * ZStack took the delete, not that its agent will ever finish it, and it read RUNNING for ever.
   */
  private async finishedDelete(ref: OperationRef, jobUuid: string, scope: UpstreamScope): Promise<Operation> {
    const left = await this.backupLeft(ref, scope);
    if (!left) return this.operation(ref, 'SUCCEEDED', jobUuid);
    if (left.status === 'DELETING') return this.judgedDelete(ref, jobUuid, 'its job reported success');
    const stores = storesToDeleteFrom(left, this.config.backupStorageUuid);
    return this.operation(ref, 'FAILED', jobUuid, `the delete finished, but the backup is still listed, held on ${stores.length === 1 ? 'image store' : 'image stores'} ${stores.join(', ')}: delete it again`);
  }

  /**
   * A delete whose job failed with SYS.1003 (RESOURCE_NOT_FOUND): ZStack's own rule for a delete of
   * something that is not there is success (APIParam `successIfResourceNotExisting` on its delete
   * APIs; DeleteVmBackup's handler answers an empty group with its success event), so a node that
   * fails it instead (one checking the group as a revert does, "No volume backups found with group
   * uuid") is telling the client the backup is already gone: SUCCEEDED, once the VM no longer
   * lists the group, and the client drops it. A group still listed means the missing resource was
   * another one the delete named (an image store in `backupStorageUuids`): the job's error stands.
   */
  private async deleteOfMissing(ref: OperationRef, jobUuid: string, body: unknown, scope: UpstreamScope): Promise<Operation> {
    // A list that fails fails the poll, as finishedDelete's does: the next asks again.
    if (ref.instanceNativeId && ref.backupNativeId && !(await this.backupLeft(ref, scope))) return this.operation(ref, 'SUCCEEDED', jobUuid);
    const error = zstackError(this.upstream, body);
    return { ...this.operation(ref, 'FAILED', jobUuid, error.message), ...failureCodes(error, false) };
  }

  /**
   * A job that failed with ZStack's error: FAILED in its words, with its code. SYS.1003
   * (RESOURCE_NOT_FOUND) names no resource by field, and a job names several (a revert its group
   * and an image store, "No volume backups found with group uuid" being the group's; a create its
   * VM's root volume and the configured image store), so it is NOT_FOUND only once the thing the
   * client acted on is seen gone: the revert's backup group no longer listed for its VM, the
   * create's VM no longer listed. Otherwise the missing resource was another (an image store, a
   * configuration matter) and it stays PROVIDER_ERROR. A list that fails fails the poll, as a
   * delete's does: the next asks again.
   */
  private async failedJob(ref: OperationRef, jobUuid: string, body: unknown, scope: UpstreamScope): Promise<Operation> {
    const error = zstackError(this.upstream, body);
    const gone = isResourceNotFound(body) && (await this.actedOnIsGone(ref, scope));
    return { ...this.operation(ref, 'FAILED', jobUuid, error.message), ...failureCodes(error, gone) };
  }

  /**
   * A job that failed with ZStack's timeout (timed-out-job.ts): the node stopped waiting, the work
   * may still be done, so a create and a delete are judged by what ZStack lists (each poll reads
   * it again while the job is kept), a revert is FAILED saying it may still finish. Read as any
   * failed job, a create whose backup ZStack went on to make was FAILED beside it.
   */
  private async timedOut(ref: OperationRef, jobUuid: string, body: unknown, scope: UpstreamScope): Promise<Operation> {
    if (ref.kind === 'CREATE_BACKUP' && ref.instanceNativeId) {
      const resourceUuid = ref.token[2];
      if (resourceUuid !== undefined && !UUID.test(resourceUuid)) throw badInput('operation id names no valid resource uuid');
      const [backups] = await this.listBackups([ref.instanceNativeId], scope);
      if (backups instanceof Error) throw backups;
      // No name: the failed flow rolled its own backup back, and one of the name is another create's.
      const found = backupOfExpiredCreate(backups ?? [], undefined, ref.backupNativeId, ref.startedAt, resourceUuid);
      if (found && 'backup' in found && expiredCreateStatus(found.backup) !== 'FAILED') {
        const judged = this.judgedCreate(ref, found.backup, jobUuid, 'its job timed out (SYS.1001)');
        return judged.status === 'FAILED' ? { ...judged, ...failureCodes(zstackError(this.upstream, body), false) } : judged;
      }
    }
    if (ref.kind === 'DELETE_BACKUP' && ref.instanceNativeId && ref.backupNativeId) {
      const left = await this.backupLeft(ref, scope);
      if (!left) return this.succeededByAbsence(ref, jobUuid);
      if (left.status === 'DELETING') {
        const judged = this.judgedDelete(ref, jobUuid, 'its job timed out (SYS.1001)');
        return judged.status === 'FAILED' ? { ...judged, ...failureCodes(zstackError(this.upstream, body), false) } : judged;
      }
    }
    if (ref.kind === 'RESTORE_BACKUP') {
      const error = zstackError(this.upstream, body);
      return { ...this.operation(ref, 'FAILED', jobUuid, `${error.message}: ${TIMED_OUT_REVERT}`), ...failureCodes(error, false) };
    }
    return this.failedJob(ref, jobUuid, body, scope);
  }

  /**
   * A create whose job can no longer say how it ended, judged by the backup it made: SUCCEEDED once
   * it is made, RUNNING while ZStack still lists it being made, FAILED once backupGiveUpMs has
   * passed since the request. Neither the job's timeout (SYS.1001) nor its expiry says the work
   * will ever end, and a backup the agent abandoned stays Creating for good: read RUNNING for ever,
   * a dashboard showed it as at work with nothing to tell anyone to look. FAILED ends it where an
   * alert can see it, and says the backup may still be made; each poll reads the list again, so a
   * backup made later turns the create SUCCEEDED (as OnApp's unbuilt backup and Zomro's Saving one).
   */
  private judgedCreate(ref: OperationRef, made: Backup, jobUuid: string, jobEnd: string): Operation {
    const withBackup = { ...ref, backupNativeId: made.nativeId };
    const status = expiredCreateStatus(made);
    if (status !== 'RUNNING' || Date.now() - ref.startedAt.getTime() < this.backupGiveUpMs) return this.operation(withBackup, status, jobUuid);
    return this.operation(
      withBackup,
      'FAILED',
      jobUuid,
      `ZStack still lists the backup as being made ${Math.round(this.backupGiveUpMs / 60_000)} minutes after its create (backupGiveUpMs), and ${jobEnd}: it may still finish, so look at the VM's backups before creating another`,
    );
  }

  /**
   * A delete whose job can no longer say how it ended (timed out, SYS.1001, or expired), or ended
   * in success (finishedDelete), while ZStack still lists its backup Deleting: RUNNING until backupGiveUpMs has passed since the request, then
   * FAILED saying it may still finish, as a create judged by its backup (judgedCreate). Neither end
   * of the job says the delete will ever end, and a group the agent left Deleting read RUNNING for
   * ever. Each poll reads the list again: the group gone later turns it SUCCEEDED.
   */
  private judgedDelete(ref: OperationRef, jobUuid: string, jobEnd: string): Operation {
    if (Date.now() - ref.startedAt.getTime() < this.backupGiveUpMs) return this.operation(ref, 'RUNNING', jobUuid);
    return this.operation(
      ref,
      'FAILED',
      jobUuid,
      `ZStack still lists the backup as being deleted ${Math.round(this.backupGiveUpMs / 60_000)} minutes after its delete (backupGiveUpMs), and ${jobEnd}: it may still finish, so look at the VM's backups before deleting it again`,
    );
  }

  private async actedOnIsGone(ref: OperationRef, scope: UpstreamScope): Promise<boolean> {
    if (ref.kind === 'RESTORE_BACKUP') return ref.instanceNativeId !== null && ref.backupNativeId !== null && !(await this.backupLeft(ref, scope));
    if (ref.kind !== 'CREATE_BACKUP' || !ref.instanceNativeId) return false;
    const [vm] = await this.getInstances([ref.instanceNativeId], scope);
    if (vm instanceof Error) throw vm;
    return vm === null;
  }

  /** The backup group a delete was of, if its VM still lists it; none without the VM and group in the operation id. */
  private async backupLeft(ref: OperationRef, scope: UpstreamScope): Promise<Backup | undefined> {
    if (!ref.instanceNativeId || !ref.backupNativeId) return undefined;
    const [backups] = await this.listBackups([ref.instanceNativeId], scope);
    if (backups instanceof Error) throw backups;
    return backups?.find((backup) => backup.nativeId === ref.backupNativeId);
  }

  /**
   * An expired job's result is gone, not its work: a create is judged by its backup
   * (expired-create.ts: the group its result named, else the newest of its name not
   * dated before it) and that backup's status, a delete by whether its backup group is
   * gone (or still deleting).
   */
  private async expired(ref: OperationRef, jobUuid: string, scope: UpstreamScope): Promise<Operation> {
    if (ref.kind === 'CREATE_BACKUP' && ref.instanceNativeId) {
      const [backups] = await this.listBackups([ref.instanceNativeId], scope);
      const resourceUuid = ref.token[2];
      // Operation ids come from clients: only a ZStack uuid is read as one (ids from before it was sent have none).
      if (resourceUuid !== undefined && !UUID.test(resourceUuid)) throw badInput('operation id names no valid resource uuid');
      const found = Array.isArray(backups) ? backupOfExpiredCreate(backups, ref.token[1], ref.backupNativeId, ref.startedAt, resourceUuid) : null;
      if (found && 'sameSecond' in found) {
        return this.operation(ref, 'FAILED', jobUuid, `the provider no longer knows this job (expired), and ${found.sameSecond} backups of its name are dated the same second: which is the create's cannot be told`);
      }
      if (found) {
        const made = found.backup;
        if (expiredCreateStatus(made) === 'FAILED') return this.operation({ ...ref, backupNativeId: made.nativeId }, 'FAILED', jobUuid, 'the provider no longer knows this job (expired), and the backup it made shows FAILED');
        return this.judgedCreate(ref, made, jobUuid, 'the provider no longer knows its job (expired)');
      }
    }
    if (ref.kind === 'DELETE_BACKUP' && ref.instanceNativeId && ref.backupNativeId) {
      const [backups] = await this.listBackups([ref.instanceNativeId], scope);
      if (Array.isArray(backups)) {
        const left = backups.find((backup) => backup.nativeId === ref.backupNativeId);
        // Nothing of ZStack's confirms this job was this delete (a made-up job uuid is 404 too).
        if (!left) return this.succeededByAbsence(ref, jobUuid);
        if (left.status === 'DELETING') return this.judgedDelete(ref, jobUuid, 'the provider no longer knows its job (expired)');
      }
    }
    if (ref.kind === 'RESTORE_BACKUP') return this.operation(ref, 'FAILED', jobUuid, EXPIRED_RESTORE);
    return this.operation(ref, 'FAILED', jobUuid, 'the provider no longer knows this job (expired); check the backups');
  }

  /**
   * A write answered 404 at once with SYS.1003 in its error's chain (not-found.ts), judged as a job
   * failing so is (deleteOfMissing, failedJob): a delete SUCCEEDED once its group is no longer
   * listed, else ZStack's error; a revert or create NOT_FOUND once what it acted on is gone, else
   * ZStack's error (another resource it named is missing: an image store, a matter of the config).
   * A sync names nothing but its image store, so its NOT_FOUND stands.
   */
  private async missingAtOnce(ref: OperationRef, jobUuid: string, answer: MissingResourceAnswer, scope: UpstreamScope): Promise<Operation> {
    if (ref.kind === 'SYNC_BACKUPS') throw answer;
    if (ref.kind === 'DELETE_BACKUP') {
      if (ref.instanceNativeId && ref.backupNativeId && !(await this.backupLeft(ref, scope))) return this.succeededByAbsence(ref, jobUuid);
      throw zstackError(this.upstream, answer.body);
    }
    throw (await this.actedOnIsGone(ref, scope)) ? answer : zstackError(this.upstream, answer.body);
  }

  private async startJob(kind: OperationKind, instanceNativeId: string | null, backupNativeId: string | null, token: string[], call: Parameters<ZstackClient['call']>[0], scope: UpstreamScope): Promise<Operation> {
    const sentJobUuid = newJobUuid();
    const startedAt = new Date();
    let response: Awaited<ReturnType<ZstackClient['call']>>;
    try {
      response = await this.client.call({ ...call, jobUuid: sentJobUuid }, scope);
    } catch (error) {
      if (!(error instanceof MissingResourceAnswer)) throw error;
      const ref: OperationRef = { providerId: this.account.id, kind, startedAt, instanceNativeId, backupNativeId, token: [sentJobUuid, ...token] };
      return this.missingAtOnce(ref, sentJobUuid, error, scope);
    }
    const jobUuid = jobIdOf(response.body, sentJobUuid);
    // Some calls finish at once (200) with the result a job would end with: a create's is the
    // documented `{"inventories": [{..., "groupUuid"}]}` (CreateVmBackup, API Response), which
    // names the backup as the job's result does. The rest answer 202 with a job to poll.
    const made = response.status !== 202 && kind === 'CREATE_BACKUP' ? createdGroup(response.body) : null;
    const ref: OperationRef = { providerId: this.account.id, kind, startedAt, instanceNativeId, backupNativeId: made ?? backupNativeId, token: [jobUuid, ...token] };
    return response.status === 202 ? this.operation(ref, 'RUNNING', jobUuid) : this.operation(ref, 'SUCCEEDED', jobUuid);
  }

  /**
   * Every page of a query. The next page starts at the last row received
   * (PAGE_OVERLAP), and reading stops at the count the answers give (`replyWithCount`) or, without
   * one, at an empty page only: a node may cap `limit` lower and says nothing of
   * it (no field of a query's answer names the limit it applied), so a page
   * shorter than asked may be its cap, not the end (an older node leaving
   * `total` out was read up to its first capped page: a list of 12 on a node
   * capping at 5 showed 5). That costs such a node one more (empty) page per
   * list. A
   * node that answers every page with its first (it ignores `start`) has no
   * more to give, nor has one going round its first pages: a page without
   * a VM not seen before ends the list (it was read on until the count, the
   * budget or MAX_LIST_ROWS ran out). Each page spends from the request's
   * upstream budget (`limits.maxUpstreamCallsPerRequest`, past it QUERY_TOO_COMPLEX),
   * and a list is bounded (MAX_LIST_ROWS, past it PROVIDER_ERROR TOO_MANY_ROWS)
   * whatever the node sends: the client gets one of these typed errors, never a
   * list cut short at the bound.
   */
  /** `instanceList`: the account's whole VM list, whose 404 is the url's mistake whatever its body (ZstackCall.instanceList). */
  private async query(path: string, conditions: string[], pageSize: number, operation: string, scope: UpstreamScope, instanceList = false): Promise<Array<Record<string, unknown>>> {
    const rows: Array<Record<string, unknown>> = [];
    const seen = new Set<unknown>();
    /** Rows the answers held, repeats included: the next page's `start`, and what `total` counts. */
    let received = 0;
    let previous: Array<Record<string, unknown>> = [];
    /** The `total` the last page counted, and how many readings from the start are left. */
    let lastTotal: number | null = null;
    let rereads = MOST_QUERY_REREADS;
    /** Whether each page after the first starts at the last row read (PAGE_OVERLAP); off for a node that caps its pages at one row. */
    let overlapping = true;
    for (;;) {
      const start = received > 0 && overlapping ? received - PAGE_OVERLAP : received;
      const search = new URLSearchParams([...conditions.map((condition) => ['q', condition] as [string, string]), ['sort', QUERY_ORDER], ['start', String(start)], ['limit', String(pageSize)], ['replyWithCount', 'true']]).toString();
      const response = await this.client.call({ method: 'GET', path, search, operation, ...(instanceList ? { instanceList } : {}) }, scope);
      const body = (response.body ?? {}) as Inventories;
      // ZStack's queries always answer with an inventories array: without one, "none" would be a guess
      // (and, cached, a backup list emptied by a proxy's or a broken node's answer).
      if (!Array.isArray(body.inventories)) {
        throw new GatewayError('PROVIDER_ERROR', `provider ${this.account.id} answered a query without its inventories`, { provider: this.account.id, providerCode: 'INVALID_RESPONSE' });
      }
      const page = body.inventories;
      const total = typeof body.total === 'number' ? body.total : null;
      // Fewer rows counted than the last page counted: rows were deleted meanwhile, and one ahead of
      // the offset moved every later row up, so the first of this page was never read (skipped until
      // the next list). The query is read again from the start, at most MOST_QUERY_REREADS times.
      // The page starts at the last row read: a row not read before there means rows moved up past
      // the offset (one deleted ahead of it), though `total` may not have fallen (one made behind it
      // meanwhile), and the rows it moved past were never read.
      const [first] = page;
      const movedUp = start < received && first !== undefined && first.uuid !== undefined && !seen.has(first.uuid);
      if (received > 0 && ((total !== null && lastTotal !== null && total < lastTotal) || movedUp)) {
        // A third reading that falls too would skip a row again, told to nobody (a VM's only backup
        // skipped read UNPROTECTED): the list is the provider's error, which a later read may not meet.
        if (rereads === 0) throw listKeptChanging(this.account.id);
        rereads -= 1;
        rows.length = 0;
        seen.clear();
        received = 0;
        previous = [];
        lastTotal = null;
        continue;
      }
      lastTotal = total;
      // Only the last row read again: the list ended there, or, the page before held no more either,
      // a node capping its pages at one row, read on from the next row without the overlap.
      if (start < received && page.length === PAGE_OVERLAP) {
        if (previous.length > PAGE_OVERLAP) return rows;
        overlapping = false;
        continue;
      }
      // The page before again, not from its last row: a node that rounds `start` to its pages (or
      // ignores it), read on from the next row without the overlap, which then tells the two apart.
      if (start < received && repeatsPage(page, previous, 'uuid')) {
        overlapping = false;
        continue;
      }
      if (repeatsPage(page, previous, 'uuid')) return rows;
      const seenBefore = seen.size;
      // `start` is an offset into the list as it is when each page is read: a row made meanwhile
      // ahead of the offset (in `sort` order) pushes the last row read onto the next page. Kept
      // once: read twice, a volume backup was two volumes of its group, whose size counted it twice.
      const fresh: Array<Record<string, unknown>> = [];
      for (const row of page) {
        if (row.uuid === undefined || !seen.has(row.uuid)) fresh.push(row);
        seen.add(row.uuid);
      }
      if (page.length > 0 && seen.size === seenBefore) return rows;
      appendAll(rows, fresh);
      received = start + page.length;
      checkListSize(rows.length, this.account.id);
      if (page.length === 0 || (total !== null && received >= total)) return rows;
      previous = page;
    }
  }
}

/** A query whose `total` fell between pages of each of its readings: rows deleted ahead of the offset all the while. */
function listKeptChanging(provider: string): GatewayError {
  return new GatewayError('PROVIDER_ERROR', `provider ${provider} deleted rows of a list while it was read, ${MOST_QUERY_REREADS + 1} times from its start; the gateway answers no list missing some of its rows: read it again`, {
    provider,
    providerCode: 'LIST_CHANGING',
  });
}

/** The rows of several queries, each volume backup once: one asked by its volume and by its VM would count its size twice. */
function eachRowOnce(answers: Array<Array<Record<string, unknown>>>): Array<Record<string, unknown>> {
  const seen = new Set<unknown>();
  const rows: Array<Record<string, unknown>> = [];
  for (const row of answers.flat()) {
    if (row.uuid !== undefined && seen.has(row.uuid)) continue;
    seen.add(row.uuid);
    rows.push(row);
  }
  return rows;
}

/**
 * A failed job's codes (Operation.errorCode): NOT_FOUND where what it acted on is gone, else ZStack's
 * own error. providerErrorCode is ZStack's code only: none where it gave no readable one (the schema
 * says null then), rather than the gateway's stand-in.
 */
function failureCodes(error: GatewayError, gone: boolean): Pick<Operation, 'errorCode' | 'providerErrorCode'> {
  const providerErrorCode = error.details.providerCode;
  const named = providerErrorCode !== undefined && providerErrorCode !== UNNAMED_ZSTACK_ERROR;
  return { errorCode: gone ? 'NOT_FOUND' : 'PROVIDER_ERROR', ...(named ? { providerErrorCode } : {}) };
}
