import type { Logger } from 'pino';
import type { Backup } from '../domain/types.js';
import { LogThrottle } from '../observability/log-throttle.js';
import type { ProviderAccount } from './adapter.js';

/** Which per-VM list held rows naming other VMs. */
export type ForeignRowsList = 'backups' | 'schedules';

/** Told when one VM's list (its backups unless said) held rows naming other VMs, which were dropped: the account and how many. */
export type ForeignRowsReport = (account: ProviderAccount, dropped: number, list?: ForeignRowsList) => void;

/**
 * The backups of the VM a per-VM list was asked for. A provider that ignores
 * its per-VM filter answers other VMs' backups too: kept, they showed in this
 * VM's `backups`, made it look protected, and were listed once per VM.
 *
 * Only for lists whose rows name their VM in the id space the gateway asked
 * with (the mapper took that id into `instanceNativeId`): a row naming none
 * keeps the VM asked for, and stays. The list itself when every row is the VM's.
 */
export function backupsOfVm(backups: Backup[], vmId: string, report: (dropped: number) => void): Backup[] {
  return rowsOfVm(backups, vmId, report);
}

/** `backupsOfVm` for any per-VM list whose rows name their VM (Zomro's schedules: `instance_id`). */
export function rowsOfVm<Row extends { instanceNativeId: string | null }>(rows: Row[], vmId: string, report: (dropped: number) => void): Row[] {
  let dropped = 0;
  for (const row of rows) if (row.instanceNativeId !== vmId) dropped += 1;
  if (dropped === 0) return rows;
  report(dropped);
  return rows.filter((row) => row.instanceNativeId === vmId);
}

/** A provider that ignores its filter does so on every read: one line per account per period says so. */
const LINE_PERIOD_MS = 60_000;

/** Reports as a throttled warn line naming the account and its kind (never its credentials, which the adapter alone holds). */
export function foreignRowsLog(logger: Logger): ForeignRowsReport {
  const lines = new LogThrottle(LINE_PERIOD_MS);
  return (account, dropped, list = 'backups') => {
    // Per list: a line about backups must not hold back the one saying every schedule was dropped.
    const leftOut = lines.take(`${list}\u0000${account.id}`);
    if (leftOut === null) return;
    logger.warn(
      { provider: account.id, kind: account.kind, list, dropped, listsWithOtherVmsSinceLastLine: leftOut },
      list === 'backups'
        ? "a provider's backup list for one VM named other VMs' backups: dropped (the provider ignored its per-VM filter)"
        : "a provider's schedule list for one VM named other VMs' schedules: dropped (the provider ignored its per-VM filter, or names instances otherwise)",
    );
  };
}
