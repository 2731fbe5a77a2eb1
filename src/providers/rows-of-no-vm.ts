import type { InstanceListKind } from '../domain/instance-lists.js';
import type { UpstreamScope } from '../upstream/scope.js';
import { UnreadableNativeId } from './native-id.js';

/**
 * Rows an account-wide read left out because the VM they name cannot be read back (ZStack's volume
 * backups by `vmInstanceUuid`, Danube's definitions by `hostname`): one such row failed the read of
 * every VM's list. Such a row is no VM's a client can name (a VM of that id is left out of the
 * instance list itself), so no VM's list lacks it and none is told; the request is told of it as
 * the account's (`instanceNativeId` null), which the fields answering from every account's lists
 * (`backups`, `protectionSummary`, `instances(filter: { protection })`; none filtered to a VM or
 * to other accounts: gateway/rows-a-filter-reads.ts) name at their paths.
 */
export class RowsOfNoVm {
  private rows = 0;
  private reason = '';
  /** The lists each request was told of: a read a request shares (RequestMemo) counts its rows once a list. */
  private readonly told = new WeakMap<UpstreamScope, Set<InstanceListKind>>();

  add(reason: string): void {
    if (this.rows === 0) this.reason = reason;
    this.rows += 1;
  }

  /** Tells `scope` of the rows left out of `list` for naming no VM that can be read. */
  reportTo(scope: UpstreamScope, provider: string, list: InstanceListKind): void {
    if (this.rows === 0 || scope.rowLeftOut === undefined) return;
    let lists = this.told.get(scope);
    if (lists === undefined) this.told.set(scope, (lists = new Set()));
    if (lists.has(list)) return;
    lists.add(list);
    for (let row = 0; row < this.rows; row++) scope.rowLeftOut({ provider, list, instanceNativeId: null, reason: this.reason });
  }
}

/**
 * A row's VM id read with `read` (idText, idTextOrNull); one that cannot be read back is told to
 * `noVm` (where there is one: without it the read fails, as before) and answers `NO_VM`.
 */
export function vmIdOrNoVm<Id extends string | null>(value: unknown, provider: string, noVm: RowsOfNoVm | undefined, read: (value: unknown, provider: string) => Id): Id | typeof NO_VM {
  try {
    return read(value, provider);
  } catch (error) {
    if (!(error instanceof UnreadableNativeId) || noVm === undefined) throw error;
    noVm.add(error.message);
    return NO_VM;
  }
}

export const NO_VM: unique symbol = Symbol('no VM that can be read');
