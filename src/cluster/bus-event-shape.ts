import { ERROR_CODES } from '../domain/errors.js';
import type { Operation } from '../domain/types.js';
import type { BusEvent } from './operation-bus.js';

/**
 * What another replica put on the bus is read, not trusted: a replica of
 * another version, a truncated or hand-written value. A status without an
 * operation reached the watcher as `undefined` and threw inside ioredis's
 * message handler, which ended the process.
 */
const KINDS: ReadonlySet<unknown> = new Set(['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS']);
const STATUSES: ReadonlySet<unknown> = new Set(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']);
const CODES: ReadonlySet<unknown> = new Set(ERROR_CODES);

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isValidDate = (value: unknown): value is Date => value instanceof Date && !Number.isNaN(value.getTime());
const isStringOrNull = (value: unknown): boolean => value === null || typeof value === 'string';
const isStrings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** An operation as the poller published it: every field the schema answers, of its type. */
export function isOperationShape(value: unknown): value is Operation {
  if (!isRecord(value)) return false;
  return (
    typeof value.providerId === 'string' &&
    KINDS.has(value.kind) &&
    STATUSES.has(value.status) &&
    isValidDate(value.startedAt) &&
    (value.finishedAt === null || isValidDate(value.finishedAt)) &&
    isStringOrNull(value.instanceNativeId) &&
    isStringOrNull(value.backupNativeId) &&
    isStringOrNull(value.error) &&
    isStringOrNull(value.providerOperationId) &&
    isStrings(value.token) &&
    (value.backupKeyExtra === undefined || isStrings(value.backupKeyExtra)) &&
    (value.backupInstanceNativeId === undefined || typeof value.backupInstanceNativeId === 'string') &&
    (value.errorCode === undefined || CODES.has(value.errorCode)) &&
    (value.providerErrorCode === undefined || typeof value.providerErrorCode === 'string')
  );
}

/** A bus event of a known type with what that type carries; anything else is dropped. */
export function isBusEvent(value: unknown): value is BusEvent {
  if (!isRecord(value)) return false;
  if (value.type === 'status') return isOperationShape(value.operation);
  if (value.type === 'error') return CODES.has(value.code) && typeof value.message === 'string';
  return value.type === 'released';
}
