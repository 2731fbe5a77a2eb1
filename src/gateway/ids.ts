import { CLOCK_SKEW_MS } from '../domain/clock-skew.js';
import { badInput } from '../domain/errors.js';
import { MALFORMED_ID, decodeIdOf, malformedIdOf, encodeId, type GlobalId } from '../domain/ids.js';
import type { Backup, BackupDefinition, BackupSchedule, Instance, OperationKind, OperationRef } from '../domain/types.js';

/** The global ids of domain objects: which keys each type carries, in one place. */

/**
 * Ids of objects the read cache hands out again and again: remembered per
 * object (entities are never mutated once mapped), so a warm dashboard does
 * not base64 the same JSON hundreds of times.
 */
const remembered = new WeakMap<object, string>();
function memo<T extends object>(entity: T, compute: (entity: T) => string): string {
  let id = remembered.get(entity);
  if (id === undefined) {
    id = compute(entity);
    remembered.set(entity, id);
  }
  return id;
}

export const instanceId = (instance: Pick<Instance, 'providerId' | 'nativeId'>): string =>
  memo(instance, (item) => encodeId('Instance', item.providerId, [item.nativeId]));

export const backupId = (backup: Pick<Backup, 'providerId' | 'nativeId' | 'instanceNativeId' | 'keyExtra'>): string =>
  memo(backup, (item) => encodeId('Backup', item.providerId, [item.instanceNativeId ?? '', item.nativeId, ...item.keyExtra]));

/**
 * What tells one backup of a provider list from another: the parts of its
 * global id (one provider's list, so without the provider), unencoded and
 * unremembered. Equal exactly when the global ids are. A list's duplicates
 * are found with it: the global id would base64 and remember every backup of
 * a list whose backups may never be shown (300,000 of one VM took 250 ms).
 */
export const backupListKey = (backup: Pick<Backup, 'nativeId' | 'instanceNativeId' | 'keyExtra'>): string =>
  JSON.stringify([backup.instanceNativeId ?? '', backup.nativeId, ...backup.keyExtra]);

export const scheduleId = (schedule: Pick<BackupSchedule, 'providerId' | 'nativeId' | 'instanceNativeId' | 'keyExtra'>): string =>
  memo(schedule, (item) => encodeId('BackupSchedule', item.providerId, [item.instanceNativeId ?? '', item.nativeId, ...item.keyExtra]));

export const definitionId = (definition: Pick<BackupDefinition, 'providerId' | 'nativeId' | 'instanceNativeId' | 'keyExtra'>): string =>
  memo(definition, (item) => encodeId('BackupDefinition', item.providerId, [item.instanceNativeId, item.nativeId, ...item.keyExtra]));

/** The id an operation is answered by: the one it was asked by, where it was (Operation.askedId). */
export const answeredOperationId = (operation: OperationRef & { askedId?: string | undefined }): string => operation.askedId ?? operationId(operation);

export const operationId = (ref: OperationRef): string =>
  encodeId('Operation', ref.providerId, [ref.kind, String(ref.startedAt.getTime()), ref.instanceNativeId ?? '', ref.backupNativeId ?? '', ...ref.token]);

/** An owned entity's address: provider, instance, own id and extra keys. */
export interface EntityAddress {
  providerId: string;
  instanceNativeId: string;
  nativeId: string;
  keyExtra: string[];
}

function entityAddress(decoded: GlobalId): EntityAddress {
  const [instanceNativeId, nativeId, ...keyExtra] = decoded.keys;
  if (instanceNativeId === undefined || nativeId === undefined || nativeId === '') throw badInput(MALFORMED_ID);
  return { providerId: decoded.providerId, instanceNativeId, nativeId, keyExtra };
}

export function decodeInstanceId(id: string, argument = 'id'): { providerId: string; nativeId: string } {
  const decoded = decodeIdOf('Instance', id, argument);
  const [nativeId] = decoded.keys;
  if (nativeId === undefined || nativeId === '' || decoded.keys.length !== 1) throw badInput(malformedIdOf('Instance', argument));
  return { providerId: decoded.providerId, nativeId };
}

export const decodeBackupId = (id: string, argument = 'id'): EntityAddress => entityAddress(decodeIdOf('Backup', id, argument));
export const decodeScheduleId = (id: string, argument = 'id'): EntityAddress => entityAddress(decodeIdOf('BackupSchedule', id, argument));
export const decodeDefinitionId = (id: string, argument = 'id'): EntityAddress => entityAddress(decodeIdOf('BackupDefinition', id, argument));

const OPERATION_KINDS: readonly OperationKind[] = ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS'];

/**
 * A start time as `operationId` writes it: milliseconds since 1970 in plain
 * digits. Anything else that reads as a number (`1e3`, `0x10`, ` 1000`, '')
 * gave one operation many ids, and so many poll loops.
 */
const STARTED_MS = /^(?:0|[1-9]\d{0,14})$/;
/** The end of the year 9999: `startedAt` past it could not be written in RFC 3339, and broke the answer. */
const LAST_STARTED_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * Every way in (the `operation` query, `node`, `cancelOperation`, the status
 * subscription) decodes here, so a start time is checked once for all.
 * A start time later than `now` (beyond another replica's clock skew) names
 * no operation the gateway began: adapters give up on "now minus start time",
 * so a forged year-9999 id stayed PENDING and a subscription polled the
 * provider for ever. An early one (1970) only makes the give-up come at once.
 */
export function decodeOperationId(id: string, argument = 'id', now = Date.now()): OperationRef {
  const decoded = decodeIdOf('Operation', id, argument);
  const [kind, started, instanceNativeId, backupNativeId, ...token] = decoded.keys;
  if (!OPERATION_KINDS.includes(kind as OperationKind) || started === undefined || !STARTED_MS.test(started) || Number(started) > LAST_STARTED_MS || instanceNativeId === undefined || backupNativeId === undefined) {
    throw badInput(malformedIdOf('Operation', argument));
  }
  const startedAt = new Date(Number(started));
  if (startedAt.getTime() > now + CLOCK_SKEW_MS) {
    throw badInput(`${argument} is an operation id that starts in the future (${startedAt.toISOString()}): send an operation id as the gateway answered it`);
  }
  return {
    providerId: decoded.providerId,
    kind: kind as OperationKind,
    startedAt,
    instanceNativeId: instanceNativeId === '' ? null : instanceNativeId,
    backupNativeId: backupNativeId === '' ? null : backupNativeId,
    token,
  };
}

const sameKeys = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((key, index) => key === b[index]);

/** Finds the entity an address names in its instance's list. */
export const findByAddress = <T extends { nativeId: string; keyExtra: string[] }>(items: readonly T[], address: EntityAddress): T | null =>
  items.find((item) => item.nativeId === address.nativeId && sameKeys(item.keyExtra, address.keyExtra)) ?? null;
