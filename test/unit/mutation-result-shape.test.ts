import { describe, expect, it } from 'vitest';
import { isMutationResult } from '../../src/gateway/mutation-result-shape.js';

// A mutation's answer kept in an idempotency record, read back (from Redis: a
// replica of another version may have written it) to be answered again.

const operation = {
  providerId: 'a', kind: 'CREATE_BACKUP', startedAt: new Date(0), instanceNativeId: '1', backupNativeId: null, token: ['t'],
  status: 'RUNNING', finishedAt: null, error: null, providerOperationId: null,
};
const schedule = { providerId: 'a', nativeId: 's1', instanceNativeId: '1', keyExtra: [], name: 'daily', cron: '0 3 * * *', timezone: 'UTC', createdAt: null, raw: {} };
const backup = {
  providerId: 'a', nativeId: 'b1', instanceNativeId: '1', keyExtra: [], name: 'b', status: 'AVAILABLE', origin: null, mode: null, createdAt: new Date(0), sizeBytes: 1,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
};
const definition = {
  providerId: 'a', nativeId: 'd1', instanceNativeId: '1', keyExtra: [], name: 'd', diskId: 1, schedule, retention: 7, active: true, compression: null,
  bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
};
const bulk = { results: [{ instanceId: 'I1', operation, error: null }, { instanceId: 'I2', operation: null, error: { code: 'NOT_FOUND', message: 'no such provider' } }], createdCount: 1, failedCount: 1 };

describe("a mutation's recorded answer", () => {
  it("is answered when it is this version's, with every value of the operation's words", () => {
    const mine: Array<[string, unknown]> = [
      ['createBackup', { operation, backup: null }],
      ['createBackup', { operation: { ...operation, backupNativeId: 'b1', backupInstanceNativeId: 'web-2' }, backup: null }],
      ['restoreBackup', { operation: { ...operation, status: 'FAILED', error: 'gone', errorCode: 'NOT_FOUND', providerErrorCode: 'SYS.1003' }, backup: null }],
      ['deleteBackup', { operation: { ...operation, kind: 'DELETE_BACKUP', status: 'SUCCEEDED', finishedAt: new Date(1) }, backup }],
      ['restoreBackup', { operation: { ...operation, kind: 'RESTORE_BACKUP', status: 'FAILED', error: 'no', providerOperationId: 'j1', instanceNativeId: null }, backup: null }],
      ['syncBackups', { operation: { ...operation, kind: 'SYNC_BACKUPS', status: 'PENDING', backupNativeId: 'b1', backupKeyExtra: ['x'] } }],
      ['cancelOperation', { operation }],
      ['createBackupSchedule', { schedule }],
      ['deleteBackupSchedule', { deletedId: 'S1' }],
      ['createBackupDefinition', { definition }],
      ['updateBackupDefinition', { definition }],
      ['deleteBackupDefinition', { deletedId: 'D1' }],
      ['updateBackupNote', { backup }],
      ['createBackups', bulk],
      ['createBackups', { results: [], createdCount: 0, failedCount: 0 }],
      ['deleteBackup', { operation: { ...operation, kind: 'DELETE_BACKUP', status: 'RUNNING', noTraceAtProvider: true }, backup: null }],
      ['deleteBackup', { operation: { ...operation, kind: 'DELETE_BACKUP', status: 'SUCCEEDED', succeededByAbsence: true }, backup: null }],
      ['createBackup', { operation: { ...operation, status: 'SUCCEEDED', jobUnconfirmed: true }, backup: null }],
    ];
    for (const [mutation, result] of mine) expect(isMutationResult(mutation, result), mutation).toBe(true);
  });

  it('is not answered when a field its payload reads is missing or of another type', () => {
    const foreign: Array<[string, string, unknown]> = [
      ['an operation of another kind', 'createBackup', { operation: { ...operation, kind: 'SNAPSHOT' }, backup: null }],
      ['an operation of another status', 'createBackup', { operation: { ...operation, status: 'DONE' }, backup: null }],
      ['a token that is no list', 'createBackup', { operation: { ...operation, token: 't' }, backup: null }],
      ['a token part that is no text', 'createBackup', { operation: { ...operation, token: ['t', 1] }, backup: null }],
      ['an instance id that is a number', 'createBackup', { operation: { ...operation, instanceNativeId: 1 }, backup: null }],
      ['a backup key part that is no text', 'syncBackups', { operation: { ...operation, backupKeyExtra: [1] } }],
      ['the instance listing the backup as no text', 'syncBackups', { operation: { ...operation, backupInstanceNativeId: 7 } }],
      ['an error code the gateway does not have', 'restoreBackup', { operation: { ...operation, errorCode: 'GONE' }, backup: null }],
      ['a provider error code as no text', 'restoreBackup', { operation: { ...operation, providerErrorCode: 1003 }, backup: null }],
      ['no backup field', 'createBackup', { operation }],
      ['a backup of another shape', 'deleteBackup', { operation, backup: { nativeId: 'b1' } }],
      ['no schedule', 'createBackupSchedule', { definition }],
      ['a schedule of another shape', 'createBackupSchedule', { schedule: { nativeId: 's1' } }],
      ['a definition of another shape', 'updateBackupDefinition', { definition: schedule }],
      ['a deleted id that is no text', 'deleteBackupDefinition', { deletedId: 7 }],
      ['a note update without its backup', 'updateBackupNote', { operation }],
      ['no operation', 'cancelOperation', {}],
      ['an answer that is no object', 'cancelOperation', 'done'],
      ['bulk results that are no list', 'createBackups', { ...bulk, results: {} }],
      ['a bulk item without its instance id', 'createBackups', { ...bulk, results: [{ operation, error: null }] }],
      ['one bulk item of two of another shape', 'createBackups', { ...bulk, results: [bulk.results[0], { instanceId: 'I2' }] }],
      ['a bulk error without its message', 'createBackups', { ...bulk, results: [{ instanceId: 'I2', operation: null, error: { code: 'NOT_FOUND' } }] }],
      ['a bulk error without its code', 'createBackups', { ...bulk, results: [{ instanceId: 'I2', operation: null, error: { message: 'm' } }] }],
      ['a negative count', 'createBackups', { ...bulk, failedCount: -1 }],
      ['a count that is no whole number', 'createBackups', { ...bulk, createdCount: 0.5 }],
      ['a count that is text', 'createBackups', { ...bulk, createdCount: '1' }],
      // Each flag is true or absent: another value is another version's meaning.
      ['no trace at the provider as text', 'deleteBackup', { operation: { ...operation, noTraceAtProvider: 'true' }, backup: null }],
      ['no trace at the provider false', 'deleteBackup', { operation: { ...operation, noTraceAtProvider: false }, backup: null }],
      ['succeeded by absence as text', 'deleteBackup', { operation: { ...operation, succeededByAbsence: 'true' }, backup: null }],
      ['an unconfirmed job as a number', 'createBackup', { operation: { ...operation, jobUnconfirmed: 1 }, backup: null }],
    ];
    for (const [name, mutation, result] of foreign) expect(isMutationResult(mutation, result), name).toBe(false);
  });

  it('of a mutation it has no check for is answered (the caller knows its own shape)', () => {
    expect(isMutationResult('someFutureMutation', { anything: true })).toBe(true);
    expect(isMutationResult('toString', 'done')).toBe(true);
  });
});
