import { createHash } from 'node:crypto';

export interface SweepKeys {
  lease: string;
  result: string;
}

/**
 * The protection sweep's lease and result keys, scoped by the accounts the replica sweeps. Every
 * gateway on one Redis database shares the `backup-graph:` prefix: with one lease and one result
 * for all of them, a second deployment on that Redis (staging beside production, another team's)
 * exported the first's accounts as its own and, while the first held the lease, never swept its
 * own, and a replica of a rollout that adds an account exported results that lacked it. Replicas
 * with the same accounts share a lease and a result, whichever order their config lists them in.
 */
export function sweepKeys(accountIds: readonly string[]): SweepKeys {
  const scope = createHash('sha256')
    .update(JSON.stringify([...accountIds].sort()))
    .digest('hex')
    .slice(0, 16);
  return { lease: `protection-sweep:${scope}:lease`, result: `protection-sweep:${scope}:result` };
}
