import { describe, expect, it } from 'vitest';
import type { RowLeftOut } from '../../src/domain/row-left-out.js';
import { namesNoVm } from '../../src/domain/row-left-out.js';
import { readDefinitions } from '../../src/providers/danube/definitions-read.js';
import { RowsLeftOutByVm } from '../../src/providers/rows-left-out-by-vm.js';
import { idText, UnreadableNativeId } from '../../src/providers/native-id.js';
import { NO_VM, RowsOfNoVm, vmIdOrNoVm } from '../../src/providers/rows-of-no-vm.js';
import { groupBackups } from '../../src/providers/zstack/mapper.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';

const LONG = 'x'.repeat(2000);
const PAST_2_53 = JSON.parse('9007199254740993') as number;
const listening = (): { scope: UpstreamScope; told: RowLeftOut[] } => {
  const told: RowLeftOut[] = [];
  return { scope: { requestId: 'r', rowLeftOut: (row) => told.push(row) }, told };
};

describe('rows whose VM id cannot be read back, read for many VMs at once', () => {
  it('ZStack: a group whose root row names an unreadable VM is left out, once a group, the other groups kept', () => {
    const noVm = new RowsOfNoVm();
    const byVm = groupBackups(
      'z',
      [
        { uuid: 'r1', groupUuid: 'lost', vmInstanceUuid: LONG, type: 'Root' },
        { uuid: 'd1', groupUuid: 'lost', vmInstanceUuid: LONG, type: 'Data' },
        { uuid: 'r2', groupUuid: 'past', vmInstanceUuid: PAST_2_53, type: 'Root' },
        { uuid: 'r3', groupUuid: 'kept', vmInstanceUuid: 'vm1', type: 'Root' },
      ],
      'UTC',
      undefined,
      new RowsLeftOutByVm(),
      noVm,
    );
    expect([...byVm]).toEqual([['vm1', [expect.objectContaining({ nativeId: 'kept' })]]]);
    const { scope, told } = listening();
    noVm.reportTo(scope, 'z', 'backups');
    expect(told).toEqual([
      { provider: 'z', list: 'backups', instanceNativeId: null, reason: 'provider z sent an id of 2000 bytes (at most 512 are read)' },
      { provider: 'z', list: 'backups', instanceNativeId: null, reason: 'provider z sent an id of 2000 bytes (at most 512 are read)' },
    ]);
  });

  it('ZStack: a group whose own uuid and VM id both cannot be read back is told as of no VM, once', () => {
    const leftOut = new RowsLeftOutByVm();
    const noVm = new RowsOfNoVm();
    const rows = [
      { uuid: 'r1', groupUuid: LONG, vmInstanceUuid: LONG, type: 'Root' },
      { uuid: 'd1', groupUuid: LONG, vmInstanceUuid: LONG, type: 'Data' },
    ];
    expect(groupBackups('z', rows, 'UTC', undefined, leftOut, noVm).size).toBe(0);
    const { scope, told } = listening();
    leftOut.reportTo(scope, 'z', 'backups', ['vm1']);
    noVm.reportTo(scope, 'z', 'backups');
    expect(told.map((row) => row.instanceNativeId)).toEqual([null]);
  });

  it('ZStack: without the collectors the read still fails (as before rows were left out)', () => {
    expect(() => groupBackups('z', [{ uuid: 'r1', groupUuid: 'g', vmInstanceUuid: LONG, type: 'Root' }], 'UTC', undefined, new RowsLeftOutByVm())).toThrow('sent an id of 2000 bytes');
  });

  it('Danube: a definition whose hostname cannot be read back is no VM\'s; one without a hostname still fails the read', async () => {
    const definition = (hostname: unknown, name: string) => ({ hostname, name, disk_id: 1, schedule: '0 4 * * *', retention: 7, active: true });
    const read = await readDefinitions('d', [definition(LONG, 'daily'), definition('web', 'daily')]);
    expect([...read.byVm.keys()]).toEqual(['web']);
    const { scope, told } = listening();
    read.noVm.reportTo(scope, 'd', 'definitions');
    // A request told once a list, however many of its batches share the read.
    read.noVm.reportTo(scope, 'd', 'definitions');
    read.noVm.reportTo(scope, 'd', 'schedules');
    expect(told.map((row) => [row.list, row.instanceNativeId])).toEqual([
      ['definitions', null],
      ['schedules', null],
    ]);
    await expect(readDefinitions('d', [definition(undefined, 'daily')])).rejects.toThrow('sent a record without its id');
  });

  it('only a list of an instance told of no VM is of no VM (the instance list is the account\'s)', () => {
    expect(namesNoVm({ list: 'backups', instanceNativeId: null })).toBe(true);
    expect(namesNoVm({ list: 'backups', instanceNativeId: 'vm1' })).toBe(false);
    expect(namesNoVm({ list: 'instances', instanceNativeId: null })).toBe(false);
  });

  it('tells a scope that listens for no rows left out nothing, and does not fail', () => {
    const noVm = new RowsOfNoVm();
    noVm.add('provider z sent an id of 2000 bytes (at most 512 are read)');
    expect(() => noVm.reportTo({ requestId: 'r' }, 'z', 'backups')).not.toThrow();
  });

  it("without a collector, a VM id that cannot be read back fails the read with the id's own error", () => {
    expect(() => vmIdOrNoVm(LONG, 'z', undefined, idText)).toThrow(UnreadableNativeId);
    const noVm = new RowsOfNoVm();
    expect(vmIdOrNoVm(LONG, 'z', noVm, idText)).toBe(NO_VM);
    expect(vmIdOrNoVm('vm1', 'z', noVm, idText)).toBe('vm1');
  });
});
