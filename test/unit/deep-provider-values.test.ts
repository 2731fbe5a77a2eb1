import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { mapBackup, mapDefinition } from '../../src/providers/danube/mapper.js';
import { isPending, newestOfDefinition } from '../../src/providers/danube/new-backup-of-definition.js';
import { mapSchedule } from '../../src/providers/onapp/mapper.js';
import { mapBackupGroup } from '../../src/providers/zstack/mapper.js';

/** A list nested `levels` deep: JSON.parse reads it fine, `String()` of it overflows the stack. */
const nested = (levels: number): unknown => {
  let value: unknown = 'x';
  for (let level = 0; level < levels; level++) value = [value];
  return value;
};
const DEEP = nested(100_000);
const catching = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('mappers given a value nested past the stack (a hostile or broken provider)', () => {
  it('the premise: String() of it overflows', () => {
    expect(() => String(DEEP)).toThrow(RangeError);
  });

  it('Danube: a definition whose schedule is no cron text is an invalid answer, not an internal error', () => {
    const map = () => mapDefinition('danube-1', { hostname: 'web01', name: 'daily', schedule: DEEP });
    expect(map).toThrow(GatewayError);
    expect(map).toThrow('provider danube-1 sent a schedule that is no cron text');
    expect(catching(map)).toMatchObject({ code: 'PROVIDER_ERROR', details: { provider: 'danube-1', providerCode: 'INVALID_RESPONSE' } });
    expect(mapDefinition('danube-1', { hostname: 'web01', name: 'daily', schedule: null }).schedule.cron).toBe('');
    expect(() => mapDefinition('danube-1', { hostname: 'web01', name: 'daily', schedule: { cron: '0 1 * * *' } })).toThrow('no cron text');
    // Absent or empty: no schedule (esdc-ce sends null when no Celery task runs the definition), not a guessed daily one.
    expect(mapDefinition('danube-1', { hostname: 'web01', name: 'daily', schedule: '' }).schedule.cron).toBe('');
    expect(mapDefinition('danube-1', { hostname: 'web01', name: 'daily', schedule: '15 3 * * *' }).schedule.cron).toBe('15 3 * * *');
  });

  it('Danube: a backup whose status is no number is UNKNOWN', () => {
    expect(mapBackup('danube-1', 'web01', { name: 'daily-1', status: DEEP }).status).toBe('UNKNOWN');
    expect(mapBackup('danube-1', 'web01', { name: 'daily-1', status: true }).status).toBe('UNKNOWN');
    expect(mapBackup('danube-1', 'web01', { name: 'daily-1', status: '1' }).status).toBe('AVAILABLE');
    expect(mapBackup('danube-1', 'web01', { name: 'daily-1', status: 4 }).status).toBe('FAILED');
  });

  it('OnApp: a schedule whose action, duration or period is no text reads as the documented defaults', () => {
    const row = { id: 7, action: DEEP, duration: DEEP, period: DEEP, start_at: '2024-01-01T02:00:00Z', created_at: '2024-01-01T00:00:00Z' };
    expect(mapSchedule('onapp-1', '12', '34', row, 'UTC').name).toBe('autobackup every 1 days');
    expect(mapSchedule('onapp-1', '12', '34', row, 'UTC').cron).toBe('0 2 * * *');
    const weekly = mapSchedule('onapp-1', '12', '34', { ...row, action: 'autobackup', duration: '2', period: 'months' }, 'UTC');
    expect(weekly.name).toBe('autobackup every 2 months');
    expect(weekly.cron).toBe('0 2 1 */2 *');
  });

  it('ZStack: a volume whose status is no text is UNKNOWN, the group no worse read than that', () => {
    const volume = { uuid: 'v1', groupUuid: 'g1', type: 'Root', name: 'nightly', vmInstanceUuid: 'vm1', size: 1, createDate: 'Jan 2, 2024 8:00:00 AM' };
    expect(mapBackupGroup('zstack-1', 'g1', [{ ...volume, status: DEEP }], 'UTC').status).toBe('UNKNOWN');
    expect(mapBackupGroup('zstack-1', 'g1', [{ ...volume, status: 'Ready' }, { ...volume, uuid: 'v2', type: 'Data', status: DEEP }], 'UTC').status).toBe('UNKNOWN');
    expect(mapBackupGroup('zstack-1', 'g1', [{ ...volume, status: 'Ready' }, { ...volume, uuid: 'v2', type: 'Data', status: 'Failed' }], 'UTC').status).toBe('FAILED');
  });

  it('Danube: a backup row whose disk_id is no number is of no disk a create looks for', () => {
    const row = { define: 'daily', created: '2024-01-02T08:00:00Z' };
    expect(newestOfDefinition([{ ...row, disk_id: DEEP }], 'daily', '1')).toBe(0);
    expect(newestOfDefinition([{ ...row, disk_id: 1 }], 'daily', '1')).toBe(Date.parse('2024-01-02T08:00:00Z'));
    expect(newestOfDefinition([row], 'daily', '1')).toBe(Date.parse('2024-01-02T08:00:00Z'));
    // Nor is one whose status is no number still being made.
    expect(isPending({ ...row, status: DEEP })).toBe(false);
    expect(isPending({ ...row, status: '2' })).toBe(true);
    expect(isPending({ ...row, status: 2 })).toBe(true);
  });
});
