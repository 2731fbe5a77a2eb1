import { describe, expect, it } from 'vitest';
import * as danube from '../../src/providers/danube/mapper.js';
import * as onapp from '../../src/providers/onapp/mapper.js';
import * as zomro from '../../src/providers/zomro/mapper.js';
import * as zstack from '../../src/providers/zstack/mapper.js';
import { decodeStored, encodeStored } from '../../src/state/stored-json.js';

/**
 * Every provider's records of one domain type carry the same own keys in the same order (and the
 * same `raw` getter), which is what gives them one V8 hidden class: graphql-jit's compiled field
 * reads and the resolvers' reads of a dashboard's schedules stay monomorphic whoever made them.
 * Own keys are the nearest a test can check without --allow-natives-syntax (%HaveSameMap, used
 * when this was measured: docs/benchmark.md).
 */
const keysOf = (record: object): string[] => Reflect.ownKeys(record).map(String);

function expectOneShape(records: Record<string, object>): void {
  const [first, ...rest] = Object.entries(records);
  for (const [label, record] of rest) expect(keysOf(record), `${label} against ${first![0]}`).toEqual(keysOf(first![1]));
}

const zomroSchedule = () => zomro.mapSchedule('zomro-nl', '1203', { id: '5', name: 'nightly', rotation_days: '1,3', rotation_time: '03:00', create_date: '2024-01-01 00:00:00' }, 'UTC');
const onappRow = { id: 31, action: 'autobackup', duration: 1, period: 'days', created_at: '2024-01-01T00:00:00Z', status: 'enabled', iqn: 'hidden' };
const onappStarting = () => onapp.mapSchedule('flex', '488', '11860', { ...onappRow, start_at: '2030-01-01T03:30:00Z' }, 'UTC');
const onappRepeating = () => onapp.mapSchedule('flex', '488', '11860', { ...onappRow, duration: 2 }, 'UTC');
const onappVm = () => onapp.mapVmSchedule('flex', '488', onappRow, 'UTC');
const danubeDefinition = () =>
  danube.mapDefinition('danube', { hostname: 'web1', name: 'daily', disk_id: 1, active: true, schedule: '0 4 * * *', retention: 7, compression: 1, desc: 'x', node: 'n', zpool: 'zones', fsfreeze: false, created: '2024-01-01T00:00:00Z' });

describe('one shape per domain type, whichever provider mapped it', () => {
  it('schedules: Zomro, OnApp with a start, with a repeat, a VM-level one, and a Danube definition schedule', () => {
    expectOneShape({ zomro: zomroSchedule(), onappStarting: onappStarting(), onappRepeating: onappRepeating(), onappVm: onappVm(), danube: danubeDefinition().schedule });
  });

  it('backups: Zomro, OnApp, a ZStack VM backup and volume-only backup, Danube (guard)', () => {
    const zstackRows = [
      { uuid: 'v1', groupUuid: 'g1', vmInstanceUuid: 'vm1', name: 'b', status: 'Ready', state: 'Enabled', mode: 'Full', createDate: 'Nov 14, 2017 10:20:57 PM', size: 1073741824, type: 'Root' },
      { uuid: 'v2', vmInstanceUuid: 'vm1', name: 'own', status: 'Ready', createDate: 'Nov 14, 2017 10:20:57 PM', size: 5 },
    ];
    const [group, own] = zstack.groupBackups('zstack', zstackRows, 'UTC').get('vm1')!;
    expectOneShape({
      zomro: zomro.mapBackup('zomro-nl', '1203', { id: '8842', name: 'n', fleio_status: 'active', createdate: '2024-03-05 14:07:09', image_size: '3', min_disk: '20' }),
      onapp: onapp.mapBackup('flex', '488', { id: 6117, built: true, backup_type: 'normal', initiated: 'manual', created_at: '2024-01-01T00:00:00Z', backup_size: 2048, disk_id: 11 }),
      zstackGroup: group!,
      zstackOwn: own!,
      danube: danube.mapBackup('danube', 'web1', { hostname: 'web1', name: 'b1', disk_id: 1, status: 1, define: 'daily', created: '2024-01-01T00:00:00Z', size: 5e9 }),
    });
  });

  it('instances of the four providers, and Danube definitions with and without the optional fields (guard)', () => {
    expectOneShape({
      zomro: zomro.mapInstance('zomro-nl', { id: '1', servername: 's', fotbo_status: 'active' }),
      onapp: onapp.mapInstance('flex', { id: 5, label: 'l', booted: true }),
      zstack: zstack.mapInstance('zstack', { uuid: 'vm1', name: 'n', state: 'Running' }),
      danube: danube.mapInstance('danube', { hostname: 'web1', alias: 'a', status: 'running' }),
    });
    expectOneShape({ full: danubeDefinition(), bare: danube.mapDefinition('danube', { hostname: 'web2', name: 'weekly', schedule: '0 4 * * 1', retention: 2 }) });
  });
});

describe('a field a provider does not give, written as undefined, reads as one left out', () => {
  it('OnApp: a VM-level schedule names no disk, and no start or repeat where the row has none', () => {
    const schedule = onappVm();
    expect([schedule.diskId, schedule.repeat, schedule.startsAtMs]).toEqual([undefined, undefined, undefined]);
    expect(schedule.keyExtra).toEqual([]);
    expect(onappStarting()).toMatchObject({ keyExtra: ['11860'], diskId: '11860', startsAtMs: Date.parse('2030-01-01T03:30:00Z') });
    expect(onappRepeating().repeat).toEqual({ fromMs: Date.parse('2024-01-01T00:00:00Z'), every: 2, unit: 'days' });
  });

  it('OnApp: raw is the row as OnApp sent it, hidden fields removed, as before', () => {
    const schedule = onapp.mapSchedule('flex', '488', '11860', { ...onappRow, period: 'Weeks' }, 'UTC');
    expect(schedule.raw).toEqual({ id: 31, action: 'autobackup', duration: 1, period: 'Weeks', created_at: '2024-01-01T00:00:00Z', status: 'enabled' });
  });

  it('is stored with no key for it: an entry reads back with the keys the version before wrote', () => {
    const stored = decodeStored<Record<string, unknown>>(encodeStored(zomroSchedule()));
    expect(Object.keys(stored).sort()).toEqual(['createdAt', 'cron', 'cronDialect', 'enabled', 'instanceNativeId', 'keyExtra', 'name', 'nativeId', 'providerId', 'raw', 'timezone']);
  });
});
