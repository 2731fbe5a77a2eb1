import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import type { ProviderAccount } from '../../src/providers/adapter.js';
import { backupsOfVm, foreignRowsLog, rowsOfVm } from '../../src/providers/foreign-rows.js';

const backup = (nativeId: string, instanceNativeId: string | null): Backup => ({ providerId: 'p', nativeId, instanceNativeId }) as Backup;

describe('rowsOfVm, backupsOfVm', () => {
  it('hands back the list itself, and reports nothing, when every row is the VM asked for', () => {
    const reports: number[] = [];
    const rows = [backup('a', '7'), backup('b', '7')];
    expect(backupsOfVm(rows, '7', (dropped) => reports.push(dropped))).toBe(rows);
    expect(rowsOfVm([], '7', (dropped) => reports.push(dropped))).toEqual([]);
    expect(reports).toEqual([]);
  });

  it("drops the rows naming other VMs (or none), in order, and reports how many once", () => {
    const reports: number[] = [];
    const rows = [backup('a', '7'), backup('b', '8'), backup('c', '7'), backup('d', '70'), backup('e', null)];
    expect(backupsOfVm(rows, '7', (dropped) => reports.push(dropped)).map((row) => row.nativeId)).toEqual(['a', 'c']);
    expect(reports).toEqual([3]);
    expect(rowsOfVm([{ instanceNativeId: '8' }], '7', (dropped) => reports.push(dropped))).toEqual([]);
    expect(reports).toEqual([3, 1]);
  });
});

describe('foreignRowsLog', () => {
  const account = (id: string): ProviderAccount => ({ id, kind: 'zomro', name: `Account ${id}`, timezone: 'UTC', url: 'https://api.zomro.example/' });

  function logged() {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: pino({ level: 'info' }, stream) };
  }

  it('writes one warn line per account and list a minute, naming the account, its kind, the list and how many were dropped', async () => {
    const { lines, logger } = logged();
    const report = foreignRowsLog(logger);
    report(account('z1'), 2);
    report(account('z1'), 5);
    report(account('z1'), 1, 'schedules');
    report(account('z2'), 3, 'backups');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map(({ level, provider, kind, list, dropped, listsWithOtherVmsSinceLastLine }) => ({ level, provider, kind, list, dropped, listsWithOtherVmsSinceLastLine }))).toEqual([
      { level: 40, provider: 'z1', kind: 'zomro', list: 'backups', dropped: 2, listsWithOtherVmsSinceLastLine: 0 },
      { level: 40, provider: 'z1', kind: 'zomro', list: 'schedules', dropped: 1, listsWithOtherVmsSinceLastLine: 0 },
      { level: 40, provider: 'z2', kind: 'zomro', list: 'backups', dropped: 3, listsWithOtherVmsSinceLastLine: 0 },
    ]);
    expect(lines[0]?.msg).toBe("a provider's backup list for one VM named other VMs' backups: dropped (the provider ignored its per-VM filter)");
    expect(lines[1]?.msg).toBe("a provider's schedule list for one VM named other VMs' schedules: dropped (the provider ignored its per-VM filter, or names instances otherwise)");
  });
});
