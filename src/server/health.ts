import type { Request, Response } from 'express';
import type { ProviderSet } from '../gateway/provider-set.js';

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
 */
export function readyz(providers: ProviderSet, isDraining: () => boolean) {
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
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', providers: list });
  };
}
