import { decodeId } from '../domain/ids.js';
import type { InstanceStatus } from '../domain/instance-status.js';
import type { Backup, BackupDefinition, Instance, Operation } from '../domain/types.js';
import { instanceStatus } from '../providers/instance-status.js';
import { backupId, decodeDefinitionId, decodeScheduleId, type EntityAddress } from './ids.js';
import type { RequestReads } from './request-reads.js';

/*
 * The links between entities a query follows (an entity's instance, a
 * backup's definition, a definition's backups) and what an entity shows
 * that its provider must interpret (an instance's status), read through the
 * request's loaders so many links cost one batched read.
 */

/** The instance an entity belongs to; null when it belongs to none (or it is gone). */
export function instanceOf(reads: RequestReads, entity: { providerId: string; instanceNativeId: string | null }): Promise<Instance | null> | null {
  return entity.instanceNativeId ? reads.instanceByNativeId(entity.providerId, entity.instanceNativeId) : null;
}

/** The instance whose schedule or definition `deletedId` named, as it is after the delete. */
export function instanceOfDeleted(reads: RequestReads, deletedId: string): Promise<Instance | null> | null {
  const address = decodeId(deletedId).type === 'BackupDefinition' ? decodeDefinitionId(deletedId) : decodeScheduleId(deletedId);
  return instanceOf(reads, address);
}

/** The instance's state word in the dashboard's terms, as its provider's kind reads it. */
export function statusOf(reads: RequestReads, instance: Instance): InstanceStatus {
  return instanceStatus(reads.provider(instance.providerId).account.kind, instance);
}

/** The definition a backup was made by: same name and, when the backup names one, the same disk. */
export async function definitionOfBackup(reads: RequestReads, backup: Backup): Promise<BackupDefinition | null> {
  if (!backup.definitionName || !backup.instanceNativeId) return null;
  const instance = await reads.instanceByNativeId(backup.providerId, backup.instanceNativeId);
  if (!instance) return null;
  const definition = (await reads.definitionsOf(instance)).find((item) => item.name === backup.definitionName && String(item.diskId) === (backup.diskId ?? String(item.diskId))) ?? null;
  // A lookup by its name and disk (one definition each): one found is not the row a list left out.
  reads.rowsLeftOut.lookedUpIn('definitions', backup.providerId, instance.nativeId, definition !== null);
  return definition;
}

/** The backups a definition made. */
export async function backupsOfDefinition(reads: RequestReads, definition: BackupDefinition): Promise<Backup[]> {
  const instance = await reads.instanceByNativeId(definition.providerId, definition.instanceNativeId);
  const backups = instance ? await reads.backupsOf(instance) : [];
  return backups.filter((backup) => backup.definitionName === definition.name);
}

/** Where the backup an operation made or acted on is at its provider; null when the operation names none. */
function backupAddressOf(operation: Operation): (Pick<Backup, 'providerId' | 'nativeId' | 'keyExtra'> & { instanceNativeId: string }) | null {
  if (!operation.backupNativeId || !operation.instanceNativeId) return null;
  const instanceNativeId = operation.backupInstanceNativeId ?? operation.instanceNativeId;
  return { providerId: operation.providerId, instanceNativeId, nativeId: operation.backupNativeId, keyExtra: operation.backupKeyExtra ?? [] };
}

/**
 * The backup an operation made or acted on; null when it names none. A
 * delete's backup reads as the delete left it, as deleteBackup's payload
 * shows it: DELETING while the delete runs (the provider may list it as it
 * was until it is gone) and none once the delete succeeded. One answer
 * holding the payload's DELETING and the operation's AVAILABLE under one id
 * left a normalised client cache with whichever it wrote last.
 */
export async function backupOfOperation(reads: RequestReads, operation: Operation): Promise<Backup | null> {
  const address = backupLookedUpBy(operation);
  if (!address) return null;
  const backup = await reads.backupAt(address);
  if (backup && operation.kind === 'DELETE_BACKUP' && operation.status !== 'FAILED') return { ...backup, status: 'DELETING' };
  return backup;
}

/** Where backupOfOperation looks the operation's backup up; null where it reads nothing (none named, or deleted). */
export function backupLookedUpBy(operation: Operation): (EntityAddress & { list: 'backups' }) | null {
  if (operation.kind === 'DELETE_BACKUP' && operation.status === 'SUCCEEDED') return null;
  const address = backupAddressOf(operation);
  return address && { ...address, list: 'backups' };
}

/** The global id of the backup an operation made or acted on, known from the operation alone, so it outlives the backup. */
export function backupIdOfOperation(operation: Operation): string | null {
  const address = backupAddressOf(operation);
  return address && backupId(address);
}
