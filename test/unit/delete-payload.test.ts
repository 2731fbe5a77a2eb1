import { describe, expect, it } from 'vitest';
import { deletePayload } from '../../src/gateway/delete-payload.js';
import type { Backup, Operation, OperationStatus } from '../../src/domain/types.js';

const listed: Backup = {
  providerId: 'zstack-test', nativeId: 'a'.repeat(32), instanceNativeId: 'b'.repeat(32), keyExtra: [], name: 'nightly', status: 'AVAILABLE',
  origin: null, mode: null, createdAt: new Date('2026-12-01T00:00:00Z'), sizeBytes: 1024, protected: false, diskId: null, minDiskBytes: null,
  minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
};

const answered = (status: OperationStatus): Operation => ({
  providerId: listed.providerId, kind: 'DELETE_BACKUP', startedAt: new Date('2026-12-05T00:00:00Z'), instanceNativeId: listed.instanceNativeId,
  backupNativeId: listed.nativeId, token: [], status, finishedAt: null, error: status === 'FAILED' ? 'refused' : null, providerOperationId: null,
});

/** No adapter answers a delete FAILED at once today: the payload builder is what a provider doing so would meet. */
describe("deleteBackup's payload from its first answer", () => {
  it('shows the backup as its provider lists it when the delete FAILED at once (not DELETING)', () => {
    const payload = deletePayload(answered('FAILED'), listed);
    expect(payload.backup).toEqual(listed);
    expect(payload.backup?.status).toBe('AVAILABLE');
  });

  it('shows it DELETING while the delete is PENDING or RUNNING, and none once it SUCCEEDED', () => {
    expect(deletePayload(answered('RUNNING'), listed).backup).toEqual({ ...listed, status: 'DELETING' });
    expect(deletePayload(answered('PENDING'), listed).backup).toEqual({ ...listed, status: 'DELETING' });
    expect(deletePayload(answered('SUCCEEDED'), listed).backup).toBeNull();
  });
});
