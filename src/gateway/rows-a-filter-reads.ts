import type { RowListName } from '../domain/row-left-out.js';

/**
 * Which lists of the request a filtered root field's answer is made of: the accounts its filter
 * reads, and the one VM it names. A row left out of another account's list, another VM's, or a
 * row of no VM where the filter names a VM, is none its answer could have held.
 */
export interface FilterReach {
  /** The account ids read; null: every account the request may see. */
  providers: ReadonlySet<string> | null;
  /** The VM named (`backups(filter: { instanceId })`), found: only its lists, never an instance list (it was found there). */
  instance: { providerId: string; nativeId: string } | null;
}

/** Whether a list that left rows out is one the filtered field read. */
export function filterReads(reach: FilterReach, list: { provider: string; list: RowListName; instanceNativeId: string | null }): boolean {
  if (reach.providers !== null && !reach.providers.has(list.provider)) return false;
  return reach.instance === null || (list.provider === reach.instance.providerId && list.instanceNativeId === reach.instance.nativeId);
}
