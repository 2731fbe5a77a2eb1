import type { Instance } from '../domain/types.js';

/**
 * How long an account's last instance list vouches for its ids as written. What it can get wrong
 * is only a spelling Danube changed since: a VM renamed to its hostname in another case, or
 * deleted and another made under such a hostname (esdc-ce refuses two VMs differing by case alone
 * at once, not one after another). Until the memory ends, an id of the old spelling goes as
 * written, as every look-up went before the gateway re-spelt ids: Danube answers it as it answers
 * any id (found where its look-up folds case, else NOT_FOUND). A few minutes bounds that to about a
 * dashboard's refresh, while a client that asks by the ids a dashboard gave it (nearly every one)
 * reads no VM list for them; longer would keep a spelling Danube dropped for longer than anyone
 * looks at a dashboard.
 */
export const LISTED_IDS_TTL_MS = 5 * 60_000;

interface Listed {
  readonly ids: ReadonlySet<string>;
  readonly readAt: number;
}

/**
 * The instance ids each account listed in its last instance-list read from the provider, for
 * LISTED_IDS_TTL_MS: one set per account, replaced by each read (bounded by the accounts
 * configured and their VM lists). RequestReads.listedInstanceId lets an id listed as written go
 * with no read of the list; any other (a re-spelling, a VM not seen, the first look-up after a
 * start) reads the list as before. Per process: another replica's reads fill its own.
 */
export class RecentlyListedIds {
  private readonly byAccount = new Map<string, Listed>();

  constructor(
    private readonly ttlMs: number = LISTED_IDS_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider answered the account's instance list: these are its ids now. */
  listed(providerId: string, instances: readonly Instance[]): void {
    const now = this.now();
    // An account no longer read (removed by a reload) is not kept past its TTL.
    for (const [account, listed] of this.byAccount) if (now - listed.readAt >= this.ttlMs) this.byAccount.delete(account);
    this.byAccount.set(providerId, { ids: new Set(instances.map((instance) => instance.nativeId)), readAt: now });
  }

  /** Whether the account listed `nativeId`, spelt as it is, within the TTL. */
  has(providerId: string, nativeId: string): boolean {
    const listed = this.byAccount.get(providerId);
    if (listed === undefined) return false;
    if (this.now() - listed.readAt >= this.ttlMs) {
      this.byAccount.delete(providerId);
      return false;
    }
    return listed.ids.has(nativeId);
  }
}
