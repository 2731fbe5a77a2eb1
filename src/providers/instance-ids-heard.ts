/**
 * Where an adapter tells the ids its provider's own answers named (RecentlyListedIds), so a
 * look-up by an id as the provider spells it now goes with no read of the account's list, and one
 * by a spelling the provider dropped reads it. Only a provider's answers feed it, never a client's
 * id: what a client asks cannot grow it.
 */
export interface InstanceIdsHeard {
  /** The account's whole instance list, as the provider answered it: its ids now. */
  listedIds(providerId: string, ids: Iterable<string>): void;
  /**
   * One instance's id as the provider answered it now (a read by id, a create's follow-up read):
   * another spelling of it (`fold` alike) is dropped, as a list read would drop it.
   */
  seen(providerId: string, id: string, fold: (id: string) => string | null): void;
}
