import type { Instance } from '../domain/types.js';
import type { InstanceIdsHeard } from '../providers/instance-ids-heard.js';

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

/**
 * Ids one account's answers may add beyond its last list (seen): a VM made since, or renamed. A
 * provider answering a new hostname at each read cannot grow an account's set past its list and
 * these; past them, an id heard is not kept (its look-up reads the list, as before).
 */
export const SEEN_BEYOND_LIST = 1_000;

interface Listed {
  readonly ids: Set<string>;
  /** How many ids the list that made this set named (0 where ids were only seen). */
  readonly listedCount: number;
  readonly readAt: number;
  /** The ids by their folded spelling, built at the set's first `seen` (one pass), so each later one is a look-up, not a pass. */
  byFold?: Map<string, Set<string>>;
}

/**
 * The instance ids each account's provider named lately, for LISTED_IDS_TTL_MS: one set per
 * account, replaced by each whole list the provider answers (the gateway's list read, and Danube's
 * read by id, which reads the whole list), and added to by an answer naming one VM's id now
 * (Danube's rows of a VM's backups read by its uuid, its definitions list: `seen`, which drops the VM's other spellings).
 * Only the provider's answers feed it, each into its own account's set: a client's ids never do,
 * so it is bounded by the accounts configured, their VM lists and SEEN_BEYOND_LIST.
 * RequestReads.listedInstanceId lets an id known as written go with no read of the list; any
 * other (a re-spelling, a VM not seen, the first look-up after a start) reads the list as before.
 * Per process: another replica's reads fill its own, and the lists it put in the shared read cache fill
 * this one's once a request here is served one (a rename in case that replica listed is then known here).
 */
export class RecentlyListedIds implements InstanceIdsHeard {
  private readonly byAccount = new Map<string, Listed>();

  constructor(
    private readonly ttlMs: number = LISTED_IDS_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The provider answered the account's instance list: these are its ids now. */
  listed(providerId: string, instances: readonly Instance[]): void {
    this.listedIds(providerId, instances.map((instance) => instance.nativeId));
  }

  listedIds(providerId: string, ids: Iterable<string>): void {
    const now = this.now();
    // An account no longer read (removed by a reload) is not kept past its TTL.
    for (const [account, listed] of this.byAccount) if (now - listed.readAt >= this.ttlMs) this.byAccount.delete(account);
    const set = new Set(ids);
    this.byAccount.set(providerId, { ids: set, listedCount: set.size, readAt: now });
  }

  /**
   * One id the account's provider answered by id. Its other spellings go: Danube names a VM by
   * one hostname whatever its case, so a spelling kept beside the one it answers now is one it
   * dropped (a VM renamed in case), and a look-up by it must read the list to find the VM. Kept
   * until the set's TTL ends (a set only seen into begins now), so no entry outlives the memory's
   * five minutes since the first answer that fed it.
   */
  seen(providerId: string, id: string, fold: (id: string) => string | null): void {
    const folded = fold(id);
    if (folded === null) return;
    let listed = this.current(providerId);
    if (listed === undefined) {
      listed = { ids: new Set(), listedCount: 0, readAt: this.now() };
      this.byAccount.set(providerId, listed);
    }
    const byFold = listed.byFold ?? (listed.byFold = foldIndex(listed.ids, fold));
    const spellings = byFold.get(folded);
    for (const other of spellings ?? []) if (other !== id) listed.ids.delete(other);
    if (listed.ids.has(id)) {
      byFold.set(folded, new Set([id]));
      return;
    }
    if (spellings !== undefined) byFold.delete(folded);
    if (listed.ids.size >= listed.listedCount + SEEN_BEYOND_LIST) return;
    listed.ids.add(id);
    byFold.set(folded, new Set([id]));
  }

  /** Whether the account listed `nativeId`, spelt as it is, within the TTL. */
  has(providerId: string, nativeId: string): boolean {
    return this.current(providerId)?.ids.has(nativeId) ?? false;
  }

  /** How many ids the account's memory holds now (tests: what fed it stays bounded). */
  size(providerId: string): number {
    return this.current(providerId)?.ids.size ?? 0;
  }

  private current(providerId: string): Listed | undefined {
    const listed = this.byAccount.get(providerId);
    if (listed === undefined) return undefined;
    if (this.now() - listed.readAt >= this.ttlMs) {
      this.byAccount.delete(providerId);
      return undefined;
    }
    return listed;
  }
}

/** The ids by their folded spelling (an id the fold refuses is in none). */
function foldIndex(ids: ReadonlySet<string>, fold: (id: string) => string | null): Map<string, Set<string>> {
  const byFold = new Map<string, Set<string>>();
  for (const id of ids) {
    const folded = fold(id);
    if (folded === null) continue;
    const spellings = byFold.get(folded);
    if (spellings) spellings.add(id);
    else byFold.set(folded, new Set([id]));
  }
  return byFold;
}
