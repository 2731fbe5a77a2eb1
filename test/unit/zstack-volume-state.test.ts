import { describe, expect, it } from 'vitest';
import { groupBackups, mapBackupGroup } from '../../src/providers/zstack/mapper.js';

const volume = (overrides: Record<string, unknown>) => ({ groupUuid: 'g1', vmInstanceUuid: 'vm1', type: 'Root', name: 'nightly', status: 'Ready', state: 'Enabled', size: 1024, mode: 'Full', createDate: 'Nov 14, 2017 10:20:57 PM', ...overrides });
const statusOf = (...volumes: Array<Record<string, unknown>>) => mapBackupGroup('z', 'g1', volumes.map(volume), 'UTC').status;

// The mapper's volumeStatus and isDeleted, read alone (mutation-testing.md: their survivors).
describe('zstack: a volume backup read with its state', () => {
  it('reads a Disabled volume (any case, padded) as FAILED, whatever its status, and fails its group', () => {
    expect(statusOf({ state: 'Disabled' })).toBe('FAILED');
    expect(statusOf({ state: ' DISABLED ' })).toBe('FAILED');
    expect(statusOf({}, { type: 'Data', state: 'disabled', status: 'Creating' })).toBe('FAILED');
    expect(statusOf({ state: 'Enabled' })).toBe('AVAILABLE');
    expect(statusOf({ state: undefined })).toBe('AVAILABLE');
  });

  it('reads a Deleted volume beside live ones as FAILED: the VM backup lost a disk', () => {
    expect(statusOf({}, { type: 'Data', status: 'Deleted' })).toBe('FAILED');
    expect(statusOf({ status: ' deleted ' }, { type: 'Data' })).toBe('FAILED');
  });

  it('reads a status word padded with spaces as the word', () => {
    expect(statusOf({ status: ' Ready ' })).toBe('AVAILABLE');
    expect(statusOf({ status: '\tCreating\n' })).toBe('CREATING');
  });

  it('lists no VM backup whose volumes are all Deleted, and lists one with only some Deleted', () => {
    const rows = [
      volume({ groupUuid: 'gone', status: 'Deleted' }),
      volume({ groupUuid: 'gone', type: 'Data', status: 'deleted' }),
      volume({ groupUuid: 'half', status: 'Ready' }),
      volume({ groupUuid: 'half', type: 'Data', status: 'Deleted' }),
      volume({ groupUuid: 'live' }),
    ];
    const listed = groupBackups('z', rows, 'UTC').get('vm1') ?? [];
    expect(listed.map((backup) => [backup.nativeId, backup.status])).toEqual([
      ['half', 'FAILED'],
      ['live', 'AVAILABLE'],
    ]);
  });
});
