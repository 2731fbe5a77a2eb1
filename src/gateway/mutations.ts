import type { Role } from '../config/schema.js';
import { badInput, conflict, GatewayError, notFound } from '../domain/errors.js';
import { decodeIdOf, type IdType } from '../domain/ids.js';
import { cronFromWeekdays, parseTime, validateCron } from '../domain/schedule.js';
import type { Backup, BackupDefinition, BackupSchedule, Compression, Instance, Operation, Weekday } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import { deletePayload } from './delete-payload.js';
import { DELETE_SHOWN_AT_MOST_MS } from './deletes-in-flight.js';
import { decodeBackupId, decodeDefinitionId, decodeInstanceId, decodeScheduleId, definitionId, scheduleId } from './ids.js';
import { checkInteger, checkName, checkText } from './input-checks.js';
import { writeOnListed } from './listed-target.js';
import { operationAt } from './operation-account.js';
import { requireRole } from './principal.js';
import type { WrittenText } from './secret-text.js';
import { NO_SUCH_PROVIDER_FILTER, requireCapability } from './provider-set.js';
import type { RequestReads } from './request-reads.js';
import { createBackupFields, createDefinitionFields, updateDefinitionFields } from '../providers/input-fields.js';

/** Mutation answers are plain data (no adapters inside) so an idempotent replay can store and return them. */
export interface BackupOperationResult {
  operation: Operation;
  backup: Backup | null;
}

export interface SyncBackupsResult {
  operation: Operation;
}

const MAX_RETENTION = 10_000;
/** A refusal that leaves the caller with nothing to try is a dead end: it says where the flag is lifted. */
export const PROTECTED_BACKUP_REFUSAL =
  'the backup is protected: the provider refuses to delete it; turn its protection off at the provider (Zomro: the image\'s "protected" flag, in the panel), then send the delete again';

/** The role each mutation needs (roles include those below them). */
const ROLE_OF = {
  createBackup: 'operator',
  deleteBackup: 'admin',
  restoreBackup: 'admin',
  syncBackups: 'operator',
  createBackupSchedule: 'operator',
  deleteBackupSchedule: 'operator',
  createBackupDefinition: 'operator',
  updateBackupDefinition: 'operator',
  deleteBackupDefinition: 'operator',
  updateBackupNote: 'operator',
  // Admin: a cancelled restore or delete can leave a disk or a backup half-changed.
  cancelOperation: 'admin',
} as const satisfies Record<string, Role>;
export type MutationName = keyof typeof ROLE_OF;

/**
 * Input fields naming what a mutation acts on, each with the type of global id it takes
 * (`providerId` is an account id). Decoded here with its type, as the mutation itself does:
 * a placeholder sent as `backupId` was told to send "e.g. an Instance's `id`".
 */
const TARGET_FIELDS = {
  instanceId: 'Instance',
  backupId: 'Backup',
  scheduleId: 'BackupSchedule',
  definitionId: 'BackupDefinition',
  targetInstanceId: 'Instance',
  operationId: 'Operation',
  providerId: null,
} as const satisfies Record<string, IdType | null>;

/**
 * The mutations. Each one checks, in this order and before any upstream
 * request: the caller's role, the ids, the provider's capability, the input.
 * Then it acts, and forgets what this request and the read cache knew about
 * the instance it changed.
 */
export class Mutations {
  constructor(private readonly reads: RequestReads) {}

  private get principal() {
    return this.reads.principal;
  }

  private get scope() {
    return this.reads.scope;
  }

  /**
   * What a mutation checks of its caller before any upstream request: its
   * role, and that every account its input names is one the caller may see
   * (NOT_FOUND otherwise). The runner calls it before replaying an
   * idempotency record, so a replay is refused just as a fresh call would be.
   */
  authorize(operation: MutationName, input: Readonly<Record<string, unknown>>): void {
    this.requireRole(operation);
    for (const [field, type] of Object.entries(TARGET_FIELDS)) {
      const value = input[field];
      if (typeof value === 'string') this.reads.provider(type === null ? value : decodeIdOf(type, value, field).providerId);
    }
  }

  private requireRole(operation: MutationName): void {
    requireRole(this.principal, ROLE_OF[operation], operation);
    this.reads.shared.secretText.refuseHeld(this.principal, this.reads.secretTextCounts);
  }

  /** Refuses, before any provider call, text a provider keeps that the scrubber would redact (secret-text.ts). */
  private refuseSecretText(operation: MutationName, fields: readonly WrittenText[]): Promise<void> {
    return this.reads.shared.secretText.check(this.principal, this.reads.requestId, operation, fields, this.reads.secretTextCounts);
  }

  async createBackup(input: { instanceId: string; name: string; diskId?: number | null; definitionName?: string | null; note?: string | null }): Promise<BackupOperationResult> {
    this.requireRole('createBackup');
    const target = this.targetOf(input.instanceId, 'CREATE_BACKUP');
    const name = checkName(input.name, 'name');
    const diskId = input.diskId == null ? null : checkInteger(input.diskId, 'diskId', 0, 1_000_000_000);
    const definitionName = input.definitionName == null ? null : checkName(input.definitionName, 'definitionName');
    const note = checkText(input.note, 'note');
    await this.refuseSecretText('createBackup', [['name', name], ['definitionName', definitionName], ['note', note]]);
    target.adapter.refuseInput?.(createBackupFields({ definitionName }));
    const { adapter, instance } = await this.load(target);
    const operation = await writeOnListed(adapter.account.id, () => adapter.createBackup({ instance, name, diskId, definitionName, note }, this.scope));
    await this.reads.shared.startedOperations.started(operation);
    await this.forget(instance.providerId, instance.nativeId);
    const backup = operation.backupNativeId
      ? await this.reads.backupAt({ providerId: instance.providerId, instanceNativeId: operation.backupInstanceNativeId ?? instance.nativeId, nativeId: operation.backupNativeId, keyExtra: operation.backupKeyExtra ?? [] }).catch(() => null)
      : null;
    return { operation, backup };
  }

  async deleteBackup(input: { backupId: string }): Promise<BackupOperationResult> {
    this.requireRole('deleteBackup');
    const { adapter, backup } = await this.backupFor(input.backupId, 'DELETE_BACKUP');
    if (backup.protected) throw conflict(PROTECTED_BACKUP_REFUSAL, adapter.account.id);
    const operation = await this.forgettingWhereGone(backup.providerId, backup.instanceNativeId, writeOnListed(adapter.account.id, () => adapter.deleteBackup(backup, this.scope)));
    await this.reads.shared.startedOperations.started(operation);
    if (backup.instanceNativeId) await this.forget(backup.providerId, backup.instanceNativeId);
    if (operation.status !== 'FAILED' && operation.status !== 'SUCCEEDED') {
      this.reads.deletingHere.mark(backup);
      // Later requests, on any replica, show it DELETING too, until the provider finishes.
      await this.reads.shared.deletes.started(backup, operation, adapter.backupGiveUpMs ?? DELETE_SHOWN_AT_MOST_MS);
    }
    return deletePayload(operation, backup);
  }

  async restoreBackup(input: { backupId: string; targetInstanceId?: string | null; targetDiskId?: number | null; force?: boolean | null; confirm: boolean }): Promise<BackupOperationResult> {
    this.requireRole('restoreBackup');
    // A restore overwrites the target disk: refuse before anything else unless the caller says so.
    if (input.confirm !== true) throw badInput('confirm must be true: a restore overwrites the target disk');
    const address = decodeBackupId(input.backupId, 'backupId');
    const target = input.targetInstanceId ? decodeInstanceId(input.targetInstanceId, 'targetInstanceId') : null;
    if (target && target.providerId !== address.providerId) throw badInput('targetInstanceId must be at the same provider account as the backup');
    const adapter = this.reads.provider(address.providerId);
    requireCapability(adapter, 'RESTORE_BACKUP');
    const targetDiskId = input.targetDiskId == null ? null : checkInteger(input.targetDiskId, 'targetDiskId', 0, 1_000_000_000);
    let shown = await this.reads.backupAt(address);
    // A restore is refused on the backup's status (below; OnApp's unbuilt one, restorable-backup.ts):
    // read from a cached list, a backup built since, or kept, was refused for up to cacheTtlMs (a day
    // at most), a backup made by the provider's own schedule with no poll to drop the entry. Read again.
    if (shown && shown.status !== 'AVAILABLE' && this.reads.shared.readCache?.covers(address.providerId)) {
      await this.reads.invalidation.forgetRead(address.providerId, await this.reads.listedInstanceId(address.providerId, address.instanceNativeId));
      shown = await this.reads.backupAt(address);
    }
    if (!shown) throw notFound('backup', adapter.account.id);
    // A delete still running (this gateway's, or one the provider lists as such) ends with the backup gone:
    // ZStack queues the revert behind it and fails it then. Refused before any call, nothing is left to poll.
    // The gateway's record of its own delete can outlive the delete's failure (no one polled it yet): that
    // delete's operation is looked at first, and a backup it left in place is restored.
    const backup = shown.status === 'DELETING' ? restorableOrRefused(await this.reads.deletingBackupLook(address), adapter.account.id) : shown;
    const targetNativeId = target?.nativeId ?? backup.instanceNativeId;
    if (!targetNativeId) throw badInput('targetInstanceId is required: the backup does not name its instance');
    const instance = await this.reads.instanceByNativeId(adapter.account.id, targetNativeId);
    if (!instance) throw notFound('target instance', adapter.account.id);
    const operation = await this.forgettingWhereGone(backup.providerId, backup.instanceNativeId, writeOnListed(adapter.account.id, () => adapter.restoreBackup({ backup, target: instance, targetDiskId, force: input.force === true }, this.scope)));
    await this.reads.shared.startedOperations.started(operation);
    await this.forget(instance.providerId, instance.nativeId);
    return { operation, backup };
  }

  async syncBackups(input: { providerId: string; storageId?: string | null }): Promise<SyncBackupsResult> {
    this.requireRole('syncBackups');
    // Its providerId is typed, not copied from an answer: the refusal says where the ids are, as a filter's does.
    const adapter = this.reads.findProvider(input.providerId);
    if (adapter === null) throw new GatewayError('NOT_FOUND', NO_SUCH_PROVIDER_FILTER);
    requireCapability(adapter, 'SYNC_BACKUPS');
    const storageId = input.storageId == null ? null : checkName(input.storageId, 'storageId');
    await this.refuseSecretText('syncBackups', [['storageId', storageId]]);
    const operation = await adapter.syncBackups(storageId, this.scope);
    await this.reads.shared.startedOperations.started(operation);
    await this.reads.invalidation.forgetAccount(adapter);
    return { operation };
  }

  async createBackupSchedule(input: { instanceId: string; name: string; weekdays: readonly Weekday[]; time: string }): Promise<BackupSchedule> {
    this.requireRole('createBackupSchedule');
    const target = this.targetOf(input.instanceId, 'CREATE_SCHEDULE');
    const name = checkName(input.name, 'name');
    parseTime(input.time);
    cronFromWeekdays(input.weekdays, input.time);
    await this.refuseSecretText('createBackupSchedule', [['name', name]]);
    const { adapter, instance } = await this.load(target);
    const schedule = await writeOnListed(adapter.account.id, () => adapter.createSchedule({ instance, name, weekdays: [...input.weekdays], time: input.time }, this.scope));
    await this.forget(instance.providerId, instance.nativeId);
    return schedule;
  }

  async deleteBackupSchedule(input: { scheduleId: string }): Promise<string> {
    this.requireRole('deleteBackupSchedule');
    const address = decodeScheduleId(input.scheduleId, 'scheduleId');
    const adapter = this.reads.provider(address.providerId);
    requireCapability(adapter, 'DELETE_SCHEDULE');
    const schedule = await this.reads.scheduleAt(address);
    if (!schedule) throw notFound('schedule', adapter.account.id);
    await this.forgettingWhereGone(schedule.providerId, schedule.instanceNativeId, writeOnListed(adapter.account.id, () => adapter.deleteSchedule(schedule, this.scope)));
    await this.forget(address.providerId, address.instanceNativeId);
    return scheduleId(schedule);
  }

  async createBackupDefinition(input: {
    instanceId: string;
    name: string;
    diskId?: number | null;
    cron: string;
    retention: number;
    node?: string | null;
    zpool?: string | null;
    active?: boolean | null;
    compression?: Compression | null;
    bandwidthLimit?: number | null;
    description?: string | null;
    fsfreeze?: boolean | null;
  }): Promise<BackupDefinition> {
    this.requireRole('createBackupDefinition');
    const target = this.targetOf(input.instanceId, 'CREATE_DEFINITION');
    const name = checkName(input.name, 'name');
    const diskId = checkInteger(input.diskId ?? 1, 'diskId', 0, 1_000_000);
    const cron = validateCron(input.cron);
    const retention = checkInteger(input.retention, 'retention', 1, MAX_RETENTION);
    const node = input.node == null ? null : checkName(input.node, 'node');
    const zpool = input.zpool == null ? null : checkName(input.zpool, 'zpool');
    const bandwidthLimit = input.bandwidthLimit == null ? null : checkInteger(input.bandwidthLimit, 'bandwidthLimit', 0, Number.MAX_SAFE_INTEGER);
    const description = checkText(input.description, 'description');
    await this.refuseSecretText('createBackupDefinition', [['name', name], ['cron', cron], ['node', node], ['zpool', zpool], ['description', description]]);
    target.adapter.refuseInput?.(createDefinitionFields({ name, node, zpool, description }));
    const { adapter, instance } = await this.load(target);
    const definition = await writeOnListed(adapter.account.id, () => adapter.createDefinition({
      instance,
      name,
      diskId,
      cron,
      retention,
      node,
      zpool,
      active: input.active ?? true,
      compression: input.compression ?? 'NONE',
      bandwidthLimit,
      description,
      fsfreeze: input.fsfreeze ?? false,
    }, this.scope));
    await this.forget(instance.providerId, instance.nativeId);
    return definition;
  }

  async updateBackupDefinition(input: {
    definitionId: string;
    cron?: string | null;
    retention?: number | null;
    active?: boolean | null;
    compression?: Compression | null;
    bandwidthLimit?: number | null;
    description?: string | null;
  }): Promise<BackupDefinition> {
    this.requireRole('updateBackupDefinition');
    const { adapter, definition, checked: changes } = await this.definitionFor(input.definitionId, 'UPDATE_DEFINITION', async (adapter) => {
      const description = input.description === undefined ? undefined : checkText(input.description, 'description');
      await this.refuseSecretText('updateBackupDefinition', [['description', description], ['cron', input.cron]]);
      adapter.refuseInput?.(updateDefinitionFields({ description }));
      return {
        ...(input.cron != null ? { cron: validateCron(input.cron) } : {}),
        ...(input.retention != null ? { retention: checkInteger(input.retention, 'retention', 1, MAX_RETENTION) } : {}),
        ...(input.active != null ? { active: input.active } : {}),
        ...(input.compression != null ? { compression: input.compression } : {}),
        ...(input.bandwidthLimit !== undefined ? { bandwidthLimit: input.bandwidthLimit === null ? null : checkInteger(input.bandwidthLimit, 'bandwidthLimit', 0, Number.MAX_SAFE_INTEGER) } : {}),
        ...(description !== undefined ? { description } : {}),
      };
    });
    const updated = await this.forgettingWhereGone(definition.providerId, definition.instanceNativeId, writeOnListed(adapter.account.id, () => adapter.updateDefinition({ definition, ...changes }, this.scope)));
    await this.forget(definition.providerId, definition.instanceNativeId);
    return updated;
  }

  async deleteBackupDefinition(input: { definitionId: string }): Promise<string> {
    this.requireRole('deleteBackupDefinition');
    const { adapter, definition } = await this.definitionFor(input.definitionId, 'DELETE_DEFINITION', () => null);
    await this.forgettingWhereGone(definition.providerId, definition.instanceNativeId, writeOnListed(adapter.account.id, () => adapter.deleteDefinition(definition, this.scope)));
    await this.forget(definition.providerId, definition.instanceNativeId);
    return definitionId(definition);
  }

  async updateBackupNote(input: { backupId: string; note: string }): Promise<Backup> {
    this.requireRole('updateBackupNote');
    const note = checkText(input.note, 'note') ?? '';
    await this.refuseSecretText('updateBackupNote', [['note', note]]);
    const { adapter, backup } = await this.backupFor(input.backupId, 'UPDATE_BACKUP_NOTE');
    const updated = await this.forgettingWhereGone(backup.providerId, backup.instanceNativeId, writeOnListed(adapter.account.id, () => adapter.updateBackupNote(backup, note, this.scope)));
    if (backup.instanceNativeId) await this.forget(backup.providerId, backup.instanceNativeId);
    return updated;
  }

  /**
   * Asks the provider to stop an operation; the id's kind (operationAt) and the capability are checked before any upstream call.
   * Only an operation a mutation of this gateway started (StartedOperations): an operation id is
   * the client's to write, and one naming a real task the gateway never started cancelled it.
   */
  async cancelOperation(input: { operationId: string }): Promise<{ operation: Operation }> {
    this.requireRole('cancelOperation');
    const { ref, adapter } = operationAt(input.operationId, (providerId) => this.reads.provider(providerId), 'operationId');
    requireCapability(adapter, 'CANCEL_OPERATION');
    const record = await this.reads.shared.startedOperations.recordOf(ref, adapter.account.id, 'cancel');
    if (record === 'none') throw notFound('operation started by this gateway', adapter.account.id);
    // An answer beside its backup showed it SUCCEEDED (its backup gone, or made) while its task still
    // ran: a cancel sent then revoked the task, and the operation read FAILED after SUCCEEDED.
    if (record === 'shownSucceeded') throw conflict('the operation has already finished', adapter.account.id);
    const operation = await adapter.cancelOperation(ref, this.scope);
    if (ref.instanceNativeId) await this.forget(ref.providerId, ref.instanceNativeId);
    return { operation: { ...operation, askedId: input.operationId } };
  }

  /** The instance a mutation names, checked without any upstream request: id, visibility, capability. */
  private targetOf(id: string, capability: Parameters<typeof requireCapability>[1]): { adapter: ProviderAdapter; nativeId: string } {
    const { providerId, nativeId } = decodeInstanceId(id, 'instanceId');
    const adapter = this.reads.provider(providerId);
    requireCapability(adapter, capability);
    return { adapter, nativeId };
  }

  /** Then, once the input is known to be good, the instance itself. */
  private async load(target: { adapter: ProviderAdapter; nativeId: string }): Promise<{ adapter: ProviderAdapter; instance: Instance }> {
    const instance = await this.reads.instanceByNativeId(target.adapter.account.id, target.nativeId);
    if (!instance) throw notFound('instance', target.adapter.account.id);
    return { adapter: target.adapter, instance };
  }

  private async backupFor(id: string, capability: Parameters<typeof requireCapability>[1]): Promise<{ adapter: ProviderAdapter; backup: Backup }> {
    const address = decodeBackupId(id, 'backupId');
    const adapter = this.reads.provider(address.providerId);
    requireCapability(adapter, capability);
    const backup = await this.reads.backupAt(address);
    if (!backup) throw notFound('backup', adapter.account.id);
    return { adapter, backup };
  }

  /** The definition an id names, once its id, account, capability and then the input (`checkInput`, its result handed back) are known good. */
  private async definitionFor<T>(id: string, capability: Parameters<typeof requireCapability>[1], checkInput: (adapter: ProviderAdapter) => T | Promise<T>): Promise<{ adapter: ProviderAdapter; definition: BackupDefinition; checked: T }> {
    const address = decodeDefinitionId(id, 'definitionId');
    const adapter = this.reads.provider(address.providerId);
    requireCapability(adapter, capability);
    const checked = await checkInput(adapter);
    const definition = await this.reads.definitionAt(address);
    if (!definition) throw notFound('backup definition', adapter.account.id);
    return { adapter, definition, checked };
  }

  /**
   * A write on a backup, schedule or definition the provider answers NOT_FOUND: it went since it
   * was listed (the provider's own panel, a rotation). The cached lists still showed it, in every
   * list and read by its id, until cacheTtlMs ran out: the client was told it is gone and shown it
   * is there. Its instance's reads are dropped, as after a write the provider took; a failure to
   * drop them leaves the NOT_FOUND answered (they expire with cacheTtlMs, as before).
   */
  private async forgettingWhereGone<T>(providerId: string, instanceNativeId: string | null, write: Promise<T>): Promise<T> {
    try {
      return await write;
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'NOT_FOUND' && instanceNativeId) {
        await this.forget(providerId, instanceNativeId).catch(() => undefined);
      }
      throw error;
    }
  }

  private forget(providerId: string, instanceNativeId: string): Promise<void> {
    return this.reads.invalidation.forgetInstance(providerId, instanceNativeId);
  }
}

/** The words for a restore of a backup shown DELETING: which delete it is decides what the user can do. */
function restorableOrRefused(look: { restorable: Backup } | { deleting: 'provider' | 'gateway' }, accountId: string): Backup {
  if ('restorable' in look) return look.restorable;
  if (look.deleting === 'provider') {
    throw conflict('the provider lists the backup as being deleted (DELETING): a restore cannot start from it, nothing was sent; restore from another backup', accountId);
  }
  throw conflict('the backup is being deleted: a restore cannot start from it (try again if its delete fails)', accountId);
}
