import type { InstanceListKind } from './instance-lists.js';

/** The lists whose rows are left out one by one: an account's instances and each instance's lists. */
export type RowListName = 'instances' | InstanceListKind;

/**
 * A row of a provider's list left out because the gateway could not read its id back (native-id.ts):
 * the other rows are still answered. Says why in the gateway's words, never with the row's text.
 */
export interface RowLeftOut {
  provider: string;
  list: RowListName;
  /** The instance whose list it was; null for the account's instance list. */
  instanceNativeId: string | null;
  /** Why, as `UnreadableNativeId`'s message says it ("provider x sent an id of 2000 bytes ..."). */
  reason: string;
}

/**
 * A row of an instance's list that named no VM the gateway can read back (providers/rows-of-no-vm.ts):
 * no VM's list lacks it, so only a field answering from every account's lists says so.
 */
export const namesNoVm = (row: Pick<RowLeftOut, 'list' | 'instanceNativeId'>): boolean => row.list !== 'instances' && row.instanceNativeId === null;
