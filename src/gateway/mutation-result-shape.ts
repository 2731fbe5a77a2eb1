import { ERROR_CODES } from '../domain/errors.js';
import type { Operation, OperationKind, OperationStatus } from '../domain/types.js';
import { isAnsweredRecord } from './cached-record-shape.js';

/**
 * Whether an answer recorded for a mutation (an idempotency record, in a
 * Redis replicas of two versions share) carries every field this version's
 * payload resolvers read. The record's envelope is checked on its own
 * (idempotency-record.ts); an answer of another version's shape inside it,
 * an operation without its fields, was replayed and failed field by field
 * with INTERNAL_SERVER_ERROR. Checked once per replay, a handful of fields.
 */
type Check = (value: unknown) => boolean;
type Fields<T> = { readonly [K in keyof T]-?: Check };

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isString: Check = (value) => typeof value === 'string';
const isCount: Check = (value) => Number.isSafeInteger(value) && (value as number) >= 0;
const isStrings: Check = (value) => Array.isArray(value) && value.every((item) => typeof item === 'string');
const orNull = (check: Check): Check => (value) => value === null || check(value);
const optional = (check: Check): Check => (value) => value === undefined || check(value);
const isDate: Check = (value) => value instanceof Date;
const oneOf = <T extends string>(values: Record<T, true>): Check => {
  const allowed: ReadonlySet<unknown> = new Set(Object.keys(values));
  return (value) => allowed.has(value);
};
const hasFields = (fields: Readonly<Record<string, Check>>): Check => {
  const pairs = Object.entries(fields);
  return (value) => isRecord(value) && pairs.every(([field, check]) => check(value[field]));
};

/** Every field of Operation: one added to the type without a check here does not compile. */
const OPERATION: Fields<Operation> = {
  providerId: isString,
  kind: oneOf<OperationKind>({ CREATE_BACKUP: true, DELETE_BACKUP: true, RESTORE_BACKUP: true, SYNC_BACKUPS: true }),
  startedAt: isDate,
  instanceNativeId: orNull(isString),
  backupNativeId: orNull(isString),
  token: isStrings,
  status: oneOf<OperationStatus>({ PENDING: true, RUNNING: true, SUCCEEDED: true, FAILED: true }),
  finishedAt: orNull(isDate),
  error: orNull(isString),
  providerOperationId: orNull(isString),
  backupKeyExtra: optional(isStrings),
  backupInstanceNativeId: optional(isString),
  errorCode: optional((value) => (ERROR_CODES as readonly unknown[]).includes(value)),
  providerErrorCode: optional(isString),
  askedId: optional(isString),
  succeededByAbsence: optional((value) => value === true),
  jobUnconfirmed: optional((value) => value === true),
  noTraceAtProvider: optional((value) => value === true),
};
const isOperation = hasFields(OPERATION);
const isBackup: Check = (value) => isAnsweredRecord(value, 'backups');
const isBulkItem = hasFields({ instanceId: isString, operation: orNull(isOperation), error: orNull(hasFields({ code: isString, message: isString })) });

const withOperation = hasFields({ operation: isOperation });
const withBackupOperation = hasFields({ operation: isOperation, backup: orNull(isBackup) });
const deleted = hasFields({ deletedId: isString });
const withDefinition = hasFields({ definition: (value) => isAnsweredRecord(value, 'definitions') });

/** Each mutation's recorded answer, as its payload type reads it (schema.graphql). */
const RESULT_OF: Readonly<Record<string, Check>> = {
  createBackup: withBackupOperation,
  deleteBackup: withBackupOperation,
  restoreBackup: withBackupOperation,
  syncBackups: withOperation,
  cancelOperation: withOperation,
  createBackupSchedule: hasFields({ schedule: (value) => isAnsweredRecord(value, 'schedules') }),
  deleteBackupSchedule: deleted,
  createBackupDefinition: withDefinition,
  updateBackupDefinition: withDefinition,
  deleteBackupDefinition: deleted,
  updateBackupNote: hasFields({ backup: isBackup }),
  createBackups: hasFields({ results: (value) => Array.isArray(value) && value.every(isBulkItem), createdCount: isCount, failedCount: isCount }),
};

/** Whether `result`, recorded for `mutation`, can be answered by this version; a mutation it has no check for: true. */
export function isMutationResult(mutation: string, result: unknown): boolean {
  const check = Object.hasOwn(RESULT_OF, mutation) ? RESULT_OF[mutation] : undefined;
  return check === undefined || check(result);
}
