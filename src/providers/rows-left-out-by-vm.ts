import type { InstanceListKind } from '../domain/instance-lists.js';
import type { UpstreamScope } from '../upstream/scope.js';

/**
 * Rows an account-wide read left out (their own id unreadable: UnreadableNativeId), by the VM they
 * name: ZStack's volume backups, Danube's definitions. Such a read answers many VMs' lists at once,
 * so a row is reported only on the lists of the VMs asked (`reportTo`): each list that would have
 * held it says so, and a list no field read gets no error with no path.
 */
export class RowsLeftOutByVm {
  private readonly byVm = new Map<string, { rows: number; reason: string }>();

  add(vmNativeId: string, reason: string): void {
    const entry = this.byVm.get(vmNativeId);
    if (entry) entry.rows += 1;
    else this.byVm.set(vmNativeId, { rows: 1, reason });
  }

  /** Tells `scope` of the rows left out of `list` for each VM asked. */
  reportTo(scope: UpstreamScope, provider: string, list: InstanceListKind, vmNativeIds: readonly string[]): void {
    if (this.byVm.size === 0 || scope.rowLeftOut === undefined) return;
    for (const vm of new Set(vmNativeIds)) {
      const entry = this.byVm.get(vm);
      for (let row = 0; entry !== undefined && row < entry.rows; row++) scope.rowLeftOut({ provider, list, instanceNativeId: vm, reason: entry.reason });
    }
  }
}
