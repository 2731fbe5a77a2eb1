import type { Request, Response } from 'express';
import type { ProviderSet } from '../gateway/provider-set.js';
import type { RedisConnectionState } from '../state/redis-connection-state.js';

export const healthz = (_req: Request, res: Response): void => {
  res.json({ status: 'ok' });
};

/**
 * Ready while the replica itself can serve: started and not draining. Not
 * while its providers answer. Every replica reaches the same providers, so
 * taking them all out of rotation when the providers are down routes around
 * nothing: clients got a load balancer's connection error or bare 503 in
 * place of the typed PROVIDER_UNAVAILABLE (with `retryAfterSeconds`) and the
 * cached reads the gateway still serves, a rollout (`maxUnavailable: 0`)
 * stalled for the whole outage, and an open breaker, which moves on to its
 * test only when a request comes, kept an unready replica unready after the
 * providers were back. Provider health is reported, not acted on: each
 * account here (health, breaker, the class of its last failure), in
 * `providers { health }`, and in the metrics the alert rules read. An
 * account whose login the provider refused shows `login: "refused"` and the
 * seconds until the login is tried again.
 *
 * Redis likewise: every replica shares the one Redis, so a lost connection to it, the operation
 * bus's subscriber's included (the replica then misses other replicas' statuses and write
 * announcements), is reported here (`redis`, with REDIS_URL) and in backup_graph_redis_connection_up,
 * not acted on. Unready for it, every replica left rotation at once in a Redis outage, while each
 * still serves (reads from the providers, operations polled alone); a connection lost on one
 * replica alone is reconnected by ioredis within a second or so, and the RedisConnectionDown
 * alert rule tells one that stays lost.
 */
export function readyz(providers: ProviderSet, isDraining: () => boolean, redisConnections: () => readonly RedisConnectionState[] = () => []) {
  return (_req: Request, res: Response): void => {
    const list = providers.all.map((adapter) => {
      const { health, cause } = adapter.upstream.healthReport();
      const loginHeldMs = adapter.upstream.loginRefusalHeldMs();
      return {
        id: adapter.account.id,
        kind: adapter.account.kind,
        health,
        breaker: adapter.upstream.breakerState(),
        ...(cause ? { cause } : {}),
        ...(loginHeldMs > 0 ? { login: 'refused' as const, retryAfterSeconds: Math.ceil(loginHeldMs / 1000) } : {}),
      };
    });
    const ready = !isDraining();
    const redis = redisConnections();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', providers: list, ...(redis.length > 0 ? { redis } : {}) });
  };
}
