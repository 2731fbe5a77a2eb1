import { createHash } from 'node:crypto';

export interface SweepKeys {
  lease: string;
  result: string;
}

/** What tells one deployment's account from another's: its id, its kind and where its API is. Never its credentials. */
export interface SweptAccount {
  id: string;
  kind: string;
  /** The API's base URL (ProviderAccount.url): origin and path, no credential in it. */
  url: string;
}

/**
 * The protection sweep's lease and result keys, scoped by the accounts the replica sweeps: each
 * one's id, kind and API url. Every gateway on one Redis database shares the `backup-graph:`
 * prefix: with one lease and one result for all of them, a second deployment on that Redis
 * (staging beside production, another team's) exported the first's accounts as its own and, while
 * the first held the lease, never swept its own, and a replica of a rollout that adds an account
 * exported results that lacked it. Keyed by the account ids alone, two deployments that name their
 * accounts alike (`zstack-1`) but point them at other panels still shared them. Replicas with the
 * same accounts share a lease and a result, whichever order their config lists them in.
 *
 * The url is read as the upstream client sends to it (origin and path, trailing slashes dropped),
 * so `https://panel/api` and `https://PANEL/api/` are one. No credential goes into the key, nor a
 * hash of one: two deployments with the same ids at the same urls but other credentials (another
 * user of the same panel) still share; they read the same panel, and a separate Redis database is
 * their way apart (docs/operations.md, "Alerts without a dashboard open").
 *
 * The ids-only key of the builds before (`sha256(JSON.stringify(sortedIds))`) is never read, not even
 * for the last-known counts of an account failing the first sweep after the upgrade: any deployment
 * with the same ids, at any url, wrote there, and its counts would be carried as this one's.
 */
export function sweepKeys(accounts: readonly SweptAccount[]): SweepKeys {
  const named = accounts.map((account) => [account.id, account.kind, endpointOf(account.url)].join('\n')).sort();
  const scope = createHash('sha256').update(JSON.stringify(named)).digest('hex').slice(0, 16);
  return { lease: `protection-sweep:${scope}:lease`, result: `protection-sweep:${scope}:result` };
}

/** The url's origin and path, as the upstream client reaches it; the text as written where it is no URL. */
function endpointOf(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}
