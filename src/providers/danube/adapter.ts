import { DANUBE_INSTANCE_LIST } from './own-not-found.js';
import { UnusableNativeId } from '../../domain/unusable-native-id.js';
import { GatewayError, badInput, conflict } from '../../domain/errors.js';
import type { Backup, BackupDefinition, BackupSchedule, Capability, Compression, CreateBackupRequest, CreateDefinitionRequest, Instance, Operation, OperationKind, OperationRef, RestoreBackupRequest, UpdateDefinitionRequest } from '../../domain/types.js';
import type { UpstreamClient } from '../../upstream/client.js';
import { RequestMemo } from '../../upstream/request-memo.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { BaseAdapter, type BatchResult, type ProviderAccount, type ProviderInputField } from '../adapter.js';
import { DanubeClient, TASK_STATUS, hostnameSegment, isSendableHostname, type DanubeAnswer } from './client.js';
import { createdBackupName } from './created-backup-name.js';
import { readFromTask } from './answered-task.js';
import { taskSegment } from './task-id.js';
import { checkOperationVm } from './operation-vm.js';
import { checkOperationParts } from './operation-parts.js';
import { definitionNameSegment } from './definition-name.js';
import { refuseDanubeInput } from './input-limits.js';
import { createBackupFields, createDefinitionFields, updateDefinitionFields } from '../input-fields.js';
import { withMissingDefinitionNextStep } from './missing-definition-refusal.js';
import { backupNameOf, backupsSinceMark, isBackupName, isPending, lookupOf, lookupToken, newBackupRowOfDefinition, newestOfDefinition } from './new-backup-of-definition.js';
import type { CreateFindings, Finding } from '../../state/create-findings.js';
import type { DanubeConfig } from './config.js';
import { COMPRESSIONS, mapBackup, mapDefinition, mapInstance } from './mapper.js';
import { readDefinitions, type DefinitionsRead } from './definitions-read.js';
import { backupVmAddress } from './vm-address.js';
import { isRowOfVmUuid, isVmUuid } from './backup-row-vm-uuid.js';
import { backupRowVm, renamedVmOf } from './backup-row-vm.js';
import { withLockedNextStep } from './locked-refusals.js';
import { withBackupStatusNextStep } from './backup-status-refusal.js';
import { withRestoreNextStep } from './restore-refusals.js';
import { withSizeLimitNextStep } from './size-limit-refusal.js';
import { backupsOfVm, type ForeignRowsReport } from '../foreign-rows.js';
import { mapRows } from '../../domain/turns.js';
import { mapReadableRows } from '../readable-rows.js';
import { instancesAsked } from '../rows-asked.js';
import type { InstanceIdsHeard } from '../instance-ids-heard.js';
import { idTextOrNull } from '../native-id.js';

export const DANUBE_CAPABILITIES: ReadonlySet<Capability> = new Set<Capability>([
  'LIST_INSTANCES', 'LIST_BACKUPS', 'CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'LIST_SCHEDULES', 'LIST_DEFINITIONS', 'CREATE_DEFINITION', 'UPDATE_DEFINITION', 'DELETE_DEFINITION', 'UPDATE_BACKUP_NOTE', 'CANCEL_OPERATION',
]);

/**
 * A backup's or definition's name as it goes into its writes' paths. Encoding keeps `/`, `?`, `#` inside
 * the segment, but the upstream guard (request-path.ts) refuses them and a bare `.` or `..` as the
 * client's BAD_USER_INPUT: for a name Danube's own list named, the gateway handed it out, so it is the
 * provider's answer (UnusableNativeId, told so by the request's loaders and writeOnListed), nothing sent.
 */
const segment = (value: string): string => {
  if (value === '.' || value === '..' || /[/?#\\]/.test(value)) {
    throw new UnusableNativeId('an id contains a path segment that is not allowed', 'listed a name that cannot be used in a URL ("." or "..", or holding "/", "?", "#" or "\\")');
  }
  return encodeURIComponent(value);
};
/**
 * A list read's records. Danube lists are `{"result": [...]}`, `[]` when
 * empty: a blank answer or a result that is not an array is no list, and
 * reading it as none would tell a dashboard a VM has no backups.
 */
function listRows(answer: DanubeAnswer, provider: string): Array<Record<string, unknown>> {
  if (!Array.isArray(answer.result)) {
    throw new GatewayError('PROVIDER_ERROR', `provider ${provider} answered a list read without a list`, { provider, providerCode: 'INVALID_RESPONSE' });
  }
  return answer.result.filter((row): row is Record<string, unknown> => row !== null && typeof row === 'object');
}

/** Danube Cloud (Erigones): backup definitions, per-VM backups, tasks. */
export class DanubeAdapter extends BaseAdapter {
  readonly capabilities = DANUBE_CAPABILITIES;
  private readonly client: DanubeClient;
  private readonly definitions = new RequestMemo<DefinitionsRead>();

  constructor(
    account: ProviderAccount,
    upstream: UpstreamClient,
    config: DanubeConfig,
    /** What reads found of creates' backups, shared by the replicas (see CreateFindings). */
    private readonly createFindings: CreateFindings,
    /** Told when a VM's list named other VMs' backups, which are dropped (foreign-rows.ts). */
    private readonly foreignRows: ForeignRowsReport,
    /** Told the hostnames Danube's own answers name now, so a look-up by one reads no VM list (RecentlyListedIds). */
    private readonly listedIds: InstanceIdsHeard,
  ) {
    super(account, upstream);
    this.client = new DanubeClient(upstream, config.auth, config.dc);
  }

  async listInstances(scope: UpstreamScope): Promise<Instance[]> {
    const answer = await this.client.call('GET', '/vm', DANUBE_INSTANCE_LIST, scope, { full: true });
    return mapReadableRows(listRows(answer, this.account.id), (row) => mapInstance(this.account.id, row), { provider: this.account.id, list: 'instances', instanceNativeId: null }, scope);
  }

  /**
   * A hostname names one VM whatever its case: esdc-ce refuses a new hostname that another VM's
   * hostname or uuid matches with case folded (`hostname__iexact` in VmDefineSerializer's
   * validate_hostname), so two VMs never differ by case alone, and a listed one with capitals is
   * real. The gateway finds the VM a client's id names by this, and then sends the hostname as
   * Danube lists it: whether Danube's own look-up by name folds case is not documented (esdc-ce's
   * get_vm matches `hostname=` exactly, which on its PostgreSQL is case-sensitive), and the listed
   * spelling is found either way. One that cannot go into a path is left to be refused as it is.
   */
  foldedInstanceId(nativeId: string): string | null {
    return isSendableHostname(nativeId) ? nativeId.toLowerCase() : null;
  }

  /** One listing for every VM asked (a read per VM would be a call each), mapping only their rows (rows-asked.ts). */
  override async getInstances(nativeIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Instance | null>> {
    const answer = await this.client.call('GET', '/vm', DANUBE_INSTANCE_LIST, scope, { full: true });
    const rows = listRows(answer, this.account.id);
    // The whole list, as a list read is: the spellings it names now replace those known, so one it
    // dropped since (a VM renamed in case) is looked up in the list again, not sent as written.
    this.listedIds.listedIds(this.account.id, rows.flatMap((row) => (typeof row.hostname === 'string' && isSendableHostname(row.hostname) ? [row.hostname] : [])));
    return instancesAsked(nativeIds, rows, (row) => row.hostname, (row) => mapInstance(this.account.id, row), this.account.id);
  }

  /**
   * The VM's hostname now, as rows of its own backups name it (`vm`, backup-row-vm.ts): heard as
   * Danube's spelling of that VM (RecentlyListedIds.seen), so a look-up by the spelling it had
   * before a rename in case reads the list rather than going as written. Rows are the VM's alone
   * (the callers' filters): a row naming another VM feeds nothing. A `vm` that is no id text is
   * left to the readers that refuse it.
   */
  private hearVmOf(rows: ReadonlyArray<Record<string, unknown>>): void {
    const heard = new Set<string>();
    for (const row of rows) {
      let vm: string | null;
      try {
        vm = idTextOrNull(row.vm, this.account.id);
      } catch {
        continue;
      }
      if (vm !== null && isSendableHostname(vm)) heard.add(vm);
    }
    // Two spellings in one VM's rows say nothing of which is now: neither is heard.
    if (heard.size !== 1) return;
    for (const vm of heard) this.listedIds.seen(this.account.id, vm, (id) => this.foldedInstanceId(id));
  }

  /**
   * Each row names its VM by `vm` where Danube sends it (the VM's hostname
   * now, the id the list was asked by), else it is the VM asked for
   * (mapBackup). A row's `hostname` is the VM's hostname when the backup was
   * made, so a VM renamed since lists its older backups under the old
   * hostname: they are still its own. A panel that ignored the VM in the
   * path answers every VM's rows, each naming its own VM: kept, they showed
   * in this VM's `backups` and made a VM without a backup look protected, so
   * they are dropped, as Zomro's and OnApp's are (foreign-rows.ts).
   */
  listBackups(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<Backup[]>> {
    return this.perInstance(instanceIds, async (hostname) => {
      const answer = await this.client.call('GET', `/vm/${hostnameSegment(hostname)}/backup`, 'vm.backup.list', scope, { full: true });
      const backups = await mapReadableRows(listRows(answer, this.account.id), (row) => mapBackup(this.account.id, hostname, row), { provider: this.account.id, list: 'backups', instanceNativeId: hostname }, scope);
      return backupsOfVm(backups, hostname, (dropped) => this.foreignRows(this.account, dropped));
    });
  }

  /** The definitions of every VM in one request, then handed out per VM. */
  override async listDefinitions(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<BackupDefinition[]>> {
    return this.definitionsOf(instanceIds, 'definitions', scope);
  }

  /** The VMs' definitions, read for the whole account; `list` is where a definition left out is reported. */
  private async definitionsOf(instanceIds: readonly string[], list: 'definitions' | 'schedules', scope: UpstreamScope): Promise<BackupDefinition[][]> {
    const { byVm, leftOut, noVm } = await this.allDefinitions(scope);
    // Reported by each request that reads the lists (the read may be another's: RequestMemo).
    leftOut.reportTo(scope, this.account.id, list, instanceIds);
    noVm.reportTo(scope, this.account.id, list);
    return instanceIds.map((id) => byVm.get(id) ?? []);
  }

  /**
   * One read per request at a time: the definitions and the schedules
   * loaders of one query both need this list, and ask for it in the same tick.
   */
  private allDefinitions(scope: UpstreamScope): Promise<DefinitionsRead> {
    return this.definitions.shared(scope, async () => {
      const answer = await this.client.call('GET', '/vm/define/backup', 'vm.define.backup.list_all', scope, { full: true, extended: true });
      const read = await readDefinitions(this.account.id, listRows(answer, this.account.id));
      // A definition's `hostname` is its VM's now (esdc-ce's BackupDefine follows the VM's rename).
      for (const hostname of read.byVm.keys()) this.listedIds.seen(this.account.id, hostname, (id) => this.foldedInstanceId(id));
      return read;
    });
  }

  /** A VM's schedules are its definitions' schedules (the same one request). */
  override async listSchedules(instanceIds: readonly string[], scope: UpstreamScope): Promise<BatchResult<BackupSchedule[]>> {
    const definitions = await this.definitionsOf(instanceIds, 'schedules', scope);
    return definitions.map((list) => list.map((definition) => definition.schedule));
  }

  /** Danube's own limits on a definition's name and a backup node's hostname (input-limits.ts); the writes below hold their own input to them too. */
  refuseInput(fields: readonly ProviderInputField[]): void {
    refuseDanubeInput(this.account.id, fields);
  }

  override async createBackup(request: CreateBackupRequest, scope: UpstreamScope): Promise<Operation> {
    const definitionName = request.definitionName;
    if (!definitionName) throw badInput("definitionName is required for Danube: a backup is made by running a backup definition; send the name of one the instance's `definitions` lists, or make one with createBackupDefinition");
    this.refuseInput(createBackupFields(request));
    const definitionSegment = definitionNameSegment(definitionName, 'definitionName');
    const hostname = request.instance.nativeId;
    // The VM's uuid from its list (`GET /vm?full=true`): the create's later reads of the VM's
    // backups go by it, so a VM renamed before they come is still found (createRowsOf).
    const vmUuid = isVmUuid(request.instance.raw.uuid) ? request.instance.raw.uuid : null;
    const diskId = String(request.diskId ?? 1);
    const startedAt = new Date();
    // Read before the call: a current esdc-ce's finished task does not name its backup (new-backup-of-definition.ts).
    const newestBefore = await this.newestOfDefinition({ hostname, vmUuid }, definitionName, diskId, scope);
    const answer = await this.client
      .call('POST', `/vm/${hostnameSegment(hostname)}/backup/${definitionSegment}`, 'vm.backup.create', scope, {
        disk_id: request.diskId ?? 1,
        // Danube names backups after the definition and the time; the requested name is kept as the note.
        note: request.note ?? request.name,
      })
      .catch((error: unknown) => Promise.reject(withMissingDefinitionNextStep(withLockedNextStep(withSizeLimitNextStep(error)), request.instance.name, definitionName)));
    const operation = this.fromAnswer(answer, 'CREATE_BACKUP', startedAt, hostname, null, [diskId], lookupToken(definitionName, newestBefore, vmUuid));
    if (operation.backupNativeId !== null) return operation;
    const found = operation.status === 'SUCCEEDED' ? await this.newBackupOf(operation, scope) : null;
    // A backup named here is in the operation's id; one found later is remembered under the mark.
    if (found) return { ...operation, ...found };
    await this.createFindings.started(findingKey(operation));
    return operation;
  }

  /**
   * The mark a create's backup is found by, or null when it cannot be read:
   * the create goes ahead either way, and only its backup's name is at stake.
   */
  private async newestOfDefinition(vm: CreateVm, definition: string, diskId: string, scope: UpstreamScope): Promise<number | null> {
    try {
      return newestOfDefinition(await this.createRowsOf(vm, scope), definition, diskId);
    } catch {
      return null;
    }
  }

  /**
   * A finished create's backup from the VM's list, when its result did not
   * name it (see new-backup-of-definition.ts). A list that fails names
   * nothing: the create did finish, and a later poll asks again.
   */
  private async newBackupOf(ref: OperationRef, scope: UpstreamScope): Promise<FoundBackup | null> {
    const lookup = lookupOf(ref.token);
    if (!lookup || !ref.instanceNativeId) return null;
    try {
      const row = newBackupRowOfDefinition(await this.createRowsOf({ hostname: ref.instanceNativeId, vmUuid: lookup.vmUuid }, scope), lookup);
      return row && this.foundIn(row, ref.instanceNativeId);
    } catch {
      return null;
    }
  }

  /**
   * A create's backup as a row of its VM's list names it: its name and, where the VM was renamed
   * since the create (its rows read by uuid name it by its new hostname), that hostname, under
   * which the gateway reads the backup (its Backup id names it): by the old one, the operation's
   * `backup` was null, or VM not found where Danube knows only current names.
   */
  private foundIn(row: Record<string, unknown>, hostnameBefore: string): FoundBackup | null {
    const name = backupNameOf(row);
    if (name === null) return null;
    const renamedTo = renamedVmOf(row, hostnameBefore, this.account.id);
    return renamedTo === undefined ? { backupNativeId: name } : { backupNativeId: name, backupInstanceNativeId: renamedTo };
  }

  /** A VM's backups as Danube lists them, unmapped: a create's lookup reads `define` and `created`. */
  private async backupRowsOf(hostname: string, scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const answer = await this.client.call('GET', `/vm/${hostnameSegment(hostname)}/backup`, 'vm.backup.list', scope, { full: true });
    return listRows(answer, this.account.id);
  }

  /**
   * The rows a create's lookup may take: those of the VM itself. A row whose `vm` names another VM
   * (a panel that ignored the VM in the path, as listBackups drops them) is another VM's run of a
   * definition of the same name: counted, it moved the mark, and named beside the create's backup
   * it made two candidates (none named), or, the create's own failing, was named as its backup.
   * Read by the list's own rule (backupRowVm), so a row the VM lists is one the look-up takes.
   *
   * Asked by the VM's uuid where the create kept one: a VM renamed between the create and a read of
   * it no longer answers to the hostname in the operation id (404), or, where Danube takes the
   * hostname a backup was made under, lists its new backup under its new name (`vm`), which the
   * hostname's rule dropped, so the create named no backup, or read FAILED once its task was
   * forgotten. Rows are the VM's by its own path then, unless their `vm_uuid` names another VM
   * (backupRowVmUuid's rule, as a forgotten delete's look-up reads them).
   */
  private async createRowsOf(vm: CreateVm, scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const { hostname, vmUuid } = vm;
    if (vmUuid !== null) return this.rowsOfVmUuid(vmUuid, scope);
    return (await this.backupRowsOf(hostname, scope)).filter((row) => backupRowVm(row, hostname, this.account.id) === hostname);
  }

  /** The rows of `GET /vm/{uuid}/backup` that are that VM's (isRowOfVmUuid), their `vm` heard as its hostname now. */
  private async rowsOfVmUuid(vmUuid: string, scope: UpstreamScope): Promise<Array<Record<string, unknown>>> {
    const rows = (await this.backupRowsOf(vmUuid, scope)).filter((row) => isRowOfVmUuid(row, vmUuid));
    this.hearVmOf(rows);
    return rows;
  }

  override async deleteBackup(backup: Backup, scope: UpstreamScope): Promise<Operation> {
    const hostname = this.hostnameOf(backup);
    const startedAt = new Date();
    const vmAddress = backupVmAddress(backup);
    const answer = await this.client
      .call('DELETE', `/vm/${hostnameSegment(vmAddress)}/backup/${segment(backup.nativeId)}`, 'vm.backup.delete', scope, { disk_id: Number(backup.keyExtra[0] ?? 1) })
      .catch((error: unknown) => Promise.reject(withLockedNextStep(withBackupStatusNextStep(error, 'delete'))));
    // The VM's uuid, where the row named it, goes in the token: a forgotten task is judged by the
    // VM's list, which a rename since would hide from a look-up by hostname.
    return this.fromAnswer(answer, 'DELETE_BACKUP', startedAt, hostname, backup.nativeId, backup.keyExtra, vmAddress === hostname ? [] : [vmAddress]);
  }

  override async restoreBackup(request: RestoreBackupRequest, scope: UpstreamScope): Promise<Operation> {
    const startedAt = new Date();
    const diskId = Number(request.backup.keyExtra[0] ?? 1);
    const answer = await this.client
      .call('PUT', `/vm/${hostnameSegment(backupVmAddress(request.backup))}/backup/${segment(request.backup.nativeId)}`, 'vm.backup.restore', scope, {
        disk_id: diskId,
        target_hostname_or_uuid: request.target.nativeId,
        target_disk_id: request.targetDiskId ?? diskId,
        // Always sent: Danube's own default is "force (boolean) – Force restore and delete existing
        // snapshots and backups (default: true)", the gateway's is false.
        force: request.force,
      })
      .catch((error: unknown) => Promise.reject(withLockedNextStep(withRestoreNextStep(withBackupStatusNextStep(error, 'restore')))));
    return this.fromAnswer(answer, 'RESTORE_BACKUP', startedAt, request.target.nativeId, request.backup.nativeId, request.backup.keyExtra);
  }

  override async updateBackupNote(backup: Backup, note: string, scope: UpstreamScope): Promise<Backup> {
    const hostname = this.hostnameOf(backup);
    const answer = await this.client.call('PUT', `/vm/${hostnameSegment(backupVmAddress(backup))}/backup/${segment(backup.nativeId)}`, 'vm.backup.note', scope, { disk_id: Number(backup.keyExtra[0] ?? 1), note });
    const row = answer.result && typeof answer.result === 'object' ? (answer.result as Record<string, unknown>) : null;
    return row && row.name ? mapBackup(this.account.id, hostname, row) : { ...backup, note };
  }

  override async createDefinition(request: CreateDefinitionRequest, scope: UpstreamScope): Promise<BackupDefinition> {
    // "data.node (string) – required - Name of the backup node" (Danube API docs); the schema
    // keeps `node` optional for the other providers, so Danube's rule is checked here.
    this.refuseInput(createDefinitionFields(request));
    if (!request.node) throw badInput("node is required for Danube: the backup node its backups go to (an existing definition's `raw` names it as `node`)");
    const hostname = request.instance.nativeId;
    const answer = await this.client.call('POST', `/vm/${hostnameSegment(hostname)}/define/backup/${definitionNameSegment(request.name, 'name')}`, 'vm.define.backup.create', scope, {
      disk_id: request.diskId,
      type: 1,
      node: request.node,
      ...(request.zpool ? { zpool: request.zpool } : {}),
      schedule: request.cron,
      retention: request.retention,
      active: request.active,
      compression: COMPRESSIONS.indexOf(request.compression),
      ...(request.bandwidthLimit !== null ? { bwlimit: request.bandwidthLimit } : {}),
      ...(request.description !== null ? { desc: request.description } : {}),
      fsfreeze: request.fsfreeze,
    }).catch((error: unknown) => Promise.reject(withLockedNextStep(error)));
    const result = answer.result as Record<string, unknown>;
    // The API docs' create answer shows no `compression` or `fsfreeze`.
    return withSentWhereUnsaid(mapDefinition(this.account.id, { hostname, ...result }), result, request);
  }

  override async updateDefinition(request: UpdateDefinitionRequest, scope: UpstreamScope): Promise<BackupDefinition> {
    const { definition } = request;
    this.refuseInput(updateDefinitionFields(request));
    const answer = await this.client.call('PUT', `/vm/${hostnameSegment(definition.instanceNativeId)}/define/backup/${segment(definition.name)}`, 'vm.define.backup.update', scope, {
      disk_id: definition.diskId,
      ...(request.cron !== undefined ? { schedule: request.cron } : {}),
      ...(request.retention !== undefined ? { retention: request.retention } : {}),
      ...(request.active !== undefined ? { active: request.active } : {}),
      ...(request.compression !== undefined ? { compression: COMPRESSIONS.indexOf(request.compression) } : {}),
      ...(request.bandwidthLimit !== undefined ? { bwlimit: request.bandwidthLimit } : {}),
      ...(request.description !== undefined ? { desc: request.description } : {}),
    }).catch((error: unknown) => Promise.reject(withLockedNextStep(error)));
    const result = answer.result as Record<string, unknown>;
    // The docs' definition examples show no `compression`; an update that sent none leaves it unsaid.
    return withSentWhereUnsaid(mapDefinition(this.account.id, { hostname: definition.instanceNativeId, ...result }), result, request);
  }

  override async deleteDefinition(definition: BackupDefinition, scope: UpstreamScope): Promise<void> {
    await this.client.call('DELETE', `/vm/${hostnameSegment(definition.instanceNativeId)}/define/backup/${segment(definition.name)}`, 'vm.define.backup.delete', scope, { disk_id: definition.diskId })
      .catch((error: unknown) => Promise.reject(withLockedNextStep(error)));
  }

  /**
   * Every read: one done at once (no task) has only its id, and a task's answer names no VM or
   * backup (answered-task.ts), so a task id in Danube's shape, or a forgotten one read from the
   * backup lists, told anyone's id a status. An id no read could take is BAD_USER_INPUT first, as
   * getOperation refuses it, whoever started it.
   */
  override toldOnlyWhereStarted(ref: OperationRef): boolean {
    checkOperationParts(ref);
    return true;
  }

  /** Polls the task: 201 pending, 200 SUCCESS, 400 FAILURE, 410 revoked, 404 gone. */
  async getOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation> {
    checkOperationVm(ref);
    const taskId = ref.token[0];
    const unnamedCreate = ref.kind === 'CREATE_BACKUP' && ref.backupNativeId === null;
    const finding: Finding = unnamedCreate ? await this.createFindings.of(findingKey(ref)) : 'unmarked';
    // An earlier read saw the create end: the list may since hold the definition's next backup
    // beside its own (or instead of it), and the task may be forgotten.
    if (typeof finding === 'object' && 'failed' in finding) return { ...this.operation(ref, 'FAILED', taskId || null, finding.failed), backupKeyExtra: keyExtraOf(ref) };
    if (typeof finding === 'object' && isBackupName(finding.found)) {
      const renamedTo = finding.vm === undefined ? {} : { backupInstanceNativeId: finding.vm };
      return { ...this.operation({ ...ref, backupNativeId: finding.found }, 'SUCCEEDED', taskId || null), backupKeyExtra: keyExtraOf(ref), ...renamedTo };
    }
    // A create done at once whose backup was not listed when it answered: looked up again.
    const operation = taskId ? await this.pollTask(ref, taskId, scope, finding) : this.operation(ref, 'SUCCEEDED');
    const found = unnamedCreate && !taskId ? ((await this.newBackupOf(ref, scope)) ?? { backupNativeId: null }) : {};
    // The backup's disk goes with it either way: without it a create that finished at once named no backup.
    const read: Operation = { ...operation, ...found, backupKeyExtra: keyExtraOf(ref) };
    if (unnamedCreate) await this.remember(ref, finding, read);
    return read;
  }

  /** How a read saw an unnamed create end, for the reads after it (CreateFindings); nothing while it runs. */
  private async remember(ref: OperationRef, finding: Finding, read: Operation): Promise<void> {
    const key = findingKey(ref);
    if (read.backupNativeId !== null) await this.createFindings.found(key, finding, read.backupNativeId, read.backupInstanceNativeId);
    else if (read.status === 'SUCCEEDED') await this.createFindings.succeeded(key, finding);
    else if (read.status === 'FAILED') await this.createFindings.failed(key, finding, read.error ?? '');
  }

  /**
   * "PUT /task/{id}/cancel revokes one" (Danube task API); the task then
   * answers 410 REVOKED, read back as FAILED. An operation that finished at
   * once has no task to cancel.
   *
   * The cancel answers with the task's status, as `GET /task/{id}/status`
   * does (esdc-ce `task_cancel`: "return task status ... on success", its
   * statuses 200 SUCCESS, 201 PENDING, 400 FAILURE, 410 REVOKED, 404), so a
   * cancel that worked answers 410, and one too late 400 or 406 "Task cannot
   * be cancelled". Each of those is an answer about the task, not a failed
   * cancel: the task is read and reported as it stands.
   */
  override async cancelOperation(ref: OperationRef, scope: UpstreamScope): Promise<Operation> {
    checkOperationVm(ref);
    const taskId = ref.token[0];
    if (!taskId) throw conflict('the operation has already finished', this.account.id);
    const path = `/task/${taskSegment(taskId)}/cancel`;
    try {
      await this.client.call('PUT', path, 'task.cancel', scope);
    } catch (error) {
      if (!isTaskAnswer(error)) throw error;
    }
    return this.getOperation(ref, scope);
  }

  private async pollTask(ref: OperationRef, taskId: string, scope: UpstreamScope, finding: Finding): Promise<Operation> {
    try {
      const answer = await this.client.call('GET', `/task/${taskSegment(taskId)}/status`, TASK_STATUS, scope);
      if (answer.status === 201) return readFromTask(this.operation(ref, 'RUNNING', taskId));
      const named = ref.kind === 'CREATE_BACKUP' ? createdBackupName(answer.result) : null;
      const found = named !== null ? { backupNativeId: named } : ref.kind === 'CREATE_BACKUP' ? await this.newBackupOf(ref, scope) : null;
      return readFromTask({ ...this.operation(ref, 'SUCCEEDED', taskId), ...found });
    } catch (error) {
      const code = (error as { details?: { providerCode?: string }; code?: string }).details?.providerCode;
      if (code === 'HTTP_410') return readFromTask(this.operation(ref, 'FAILED', taskId, 'the task was revoked'));
      if (code === 'HTTP_400' || (error as { code?: string }).code === 'CONFLICT') return readFromTask(this.operation(ref, 'FAILED', taskId, (error as Error).message));
      if ((error as { code?: string }).code === 'NOT_FOUND') return this.forgotten(ref, taskId, scope, finding);
      throw error;
    }
  }

  /**
   * "404 {"detail":"Task does not exist (anymore)"}" (esdc-ce's task status): Danube keeps a
   * task's result for a while and then forgets it, its work done either way. A delete is judged
   * by whether its backup (name and disk) is gone, or still pending, which a backup reads while
   * it is being deleted; a create by the backups of its definition and disk made since it began
   * (forgottenCreate); a restore's outcome leaves nothing to tell it by.
   */
  private async forgotten(ref: OperationRef, taskId: string, scope: UpstreamScope, finding: Finding): Promise<Operation> {
    if (ref.kind === 'CREATE_BACKUP') return this.forgottenCreate(ref, taskId, scope, finding);
    if (ref.kind === 'DELETE_BACKUP' && ref.instanceNativeId && ref.backupNativeId) {
      // A list that failed tells nothing: the poll fails as it, and the next one asks again.
      const left = await this.backupLeftByDelete(ref, ref.backupNativeId, scope);
      // A made-up task id is 404 too: nothing of Danube's confirms this task was this delete.
      if (!left) return this.succeededByAbsence(ref, taskId);
      if (left.status === 'PENDING') return this.operation(ref, 'RUNNING', taskId);
      return this.operation(ref, 'FAILED', taskId, 'the provider no longer knows this task, and the backup is still there: the delete failed');
    }
    return this.operation(ref, 'FAILED', taskId, 'the provider no longer knows this task');
  }

  /**
   * The backup a delete was of, if the VM still lists it (name and disk). Read by the VM's uuid where
   * the delete went by it (token[2]): a VM renamed since the delete is no longer found by its old
   * hostname (404 at every poll). Rows are the VM's by its own path then: one naming another
   * VM's uuid (by backupRowVmUuid's rule) is not the backup deleted. Operation ids from before the
   * uuid was kept read by hostname.
   */
  private async backupLeftByDelete(ref: OperationRef, backupName: string, scope: UpstreamScope): Promise<Backup | undefined> {
    const disk = ref.token[1] ?? '1';
    const vmUuid = ref.token[2];
    // Operation ids come from clients: only a uuid is read as one.
    if (vmUuid !== undefined && !isVmUuid(vmUuid)) throw badInput('operation id names no valid VM uuid');
    const hostname = ref.instanceNativeId ?? '';
    let backups: Backup[];
    if (vmUuid) {
      const mine = await this.rowsOfVmUuid(vmUuid, scope);
      backups = await mapRows(mine, (row) => mapBackup(this.account.id, hostname, row));
    } else {
      const [listed] = await this.listBackups([hostname], scope);
      if (listed instanceof Error) throw listed;
      backups = listed ?? [];
    }
    return backups.find((backup) => backup.nativeId === backupName && (backup.keyExtra[0] ?? '1') === disk);
  }

  /**
   * A failed create leaves no backup (esdc-ce deletes its record, api/vm/backup/tasks.py
   * `_vm_backup_cb_failed`), so one backup of the definition and disk made since the mark is
   * the create's, done once it no longer reads pending. None leaves nothing to confirm it by;
   * several (the definition ran again) may or may not hold the create's, and which cannot be
   * told: neither is guessed. Operation ids without a mark (made before it, or whose list read
   * failed) have no lookup. A create an earlier read saw succeed without telling its backup
   * stays SUCCEEDED, its backup still untold (one that failed, or whose backup was found, is
   * answered from its finding before the task is asked for).
   */
  private async forgottenCreate(ref: OperationRef, taskId: string, scope: UpstreamScope, finding: Finding): Promise<Operation> {
    if (finding === 'succeeded') return this.operation(ref, 'SUCCEEDED', taskId);
    const lookup = lookupOf(ref.token);
    if (!lookup || !ref.instanceNativeId) return this.operation(ref, 'FAILED', taskId, 'the provider no longer knows this task');
    // A list that failed tells nothing: the poll fails as it, and the next one asks again.
    const since = backupsSinceMark(await this.createRowsOf({ hostname: ref.instanceNativeId, vmUuid: lookup.vmUuid }, scope), lookup);
    // Still being made (the create's, or a run beside it): a later poll judges it done.
    if (since.some(isPending)) return this.operation(ref, 'RUNNING', taskId);
    if (since.length === 1) return { ...this.operation(ref, 'SUCCEEDED', taskId), ...(this.foundIn(since[0]!, ref.instanceNativeId) ?? { backupNativeId: null }) };
    if (since.length === 0) {
      return this.operation(ref, 'FAILED', taskId, 'the provider no longer knows this task, and no backup of its definition and disk made since the create began is listed: the create could not be confirmed');
    }
    return this.operation(
      ref,
      'FAILED',
      taskId,
      `the provider no longer knows this task, and ${since.length} backups of its definition and disk were made since the create began: whether one of them is the create's cannot be told`,
    );
  }

  private hostnameOf(backup: Backup): string {
    if (!backup.instanceNativeId) throw badInput('backup id lacks its VM');
    return backup.instanceNativeId;
  }

  private fromAnswer(answer: DanubeAnswer, kind: OperationKind, startedAt: Date, hostname: string, backupNativeId: string | null, keyExtra: string[] = [], lookup: string[] = []): Operation {
    const pending = answer.status === 201 && answer.taskId !== null;
    // "POST /vm/(hostname)/backup/(bkpdef)": "200 OK – SUCCESS" or "201 Created – PENDING" (Danube API
    // docs, api.vm.backup). A create done at once answers as its example shows, `"result": {"detail":
    // "name=daily-20131014_133701, disk_id=1"}` (or esdc-ce's `bkpname='...'`, see created-backup-name.ts):
    // the backup is named there, as in a finished task's result.
    const made = kind === 'CREATE_BACKUP' && !pending ? createdBackupName(answer.result) : null;
    // The token carries the task id, the backup's disk and a create's lookup, so polling needs no server state.
    const ref: OperationRef = { providerId: this.account.id, kind, startedAt, instanceNativeId: hostname, backupNativeId: made ?? backupNativeId, token: [pending && answer.taskId ? answer.taskId : '', ...keyExtra, ...lookup] };
    return { ...this.operation(ref, pending ? 'RUNNING' : 'SUCCEEDED', answer.taskId), backupKeyExtra: keyExtra };
  }
}

/** A create's backup found in its VM's list: its name, and the VM listing it where the VM was renamed since the create. */
type FoundBackup = Pick<Operation, 'backupNativeId' | 'backupInstanceNativeId'> & { backupNativeId: string };

/** The VM a create's look-up reads: by its uuid where the operation kept one, else by hostname. */
interface CreateVm {
  readonly hostname: string;
  readonly vmUuid: string | null;
}

/**
 * The backup's key beside the task id, its disk: a create's token goes on with its lookup
 * ([task, disk, definition, mark, VM uuid]), a delete's with the VM's uuid where the row named it.
 */
const keyExtraOf = (ref: OperationRef): string[] => ref.token.slice(1, 2);

/** A create's key in CreateFindings: what its operation id holds besides the backup a read may add (JSON, so no two parts run together). */
const findingKey = (ref: OperationRef): string => JSON.stringify([ref.providerId, ref.startedAt.getTime(), ref.instanceNativeId, ...ref.token]);

/**
 * A refusal of a cancel that is the task's own status: revoked (410), failed
 * (400), gone (404), or no longer cancellable (406, CONFLICT). Anything else
 * (the gateway's credentials refused, the provider down) is the cancel's failure.
 */
function isTaskAnswer(error: unknown): boolean {
  const { code, details } = error as { code?: string; details?: { providerCode?: string } };
  return code === 'CONFLICT' || code === 'NOT_FOUND' || details?.providerCode === 'HTTP_410' || details?.providerCode === 'HTTP_400';
}

/**
 * `mapped` saying what the request sent where Danube's answer leaves the field out: it answered
 * SUCCESS, so it took them, and the payload says them rather than null (`raw` stays Danube's own).
 */
function withSentWhereUnsaid(mapped: BackupDefinition, answer: Record<string, unknown>, sent: { readonly compression?: Compression | undefined; readonly fsfreeze?: boolean | undefined }): BackupDefinition {
  const shown = { ...mapped };
  if (sent.compression !== undefined && answer.compression === undefined) shown.compression = sent.compression;
  if (sent.fsfreeze !== undefined && answer.fsfreeze === undefined) shown.fsfreeze = sent.fsfreeze;
  return shown;
}
