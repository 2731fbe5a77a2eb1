import type { Request, Response } from 'express';
import type { ProviderSet } from '../gateway/provider-set.js';

export const healthz = (_req: Request, res: Response): void => {
  res.json({ status: 'ok' });
};

/**
 * Ready while at least one provider account can be asked (its breaker is not
 * open, or would let the next request through as its test): with partial
 * results the gateway still serves when some are down. An open breaker moves
 * on to its test only when a request comes, and an unready replica is sent
 * none: counted as down until then, a replica whose breakers had all opened
 * stayed unready for good after the providers came back.
 * Each account shows its health as the gateway last saw it and, while not
 * UP, the class of its last failure (dns, refused, reset, tls, timeout,
 * http_5xx, ...): never an address or an error's own text. An account whose
 * login the provider refused shows `login: "refused"` and the seconds until
 * the login is tried again, and still counts as one that can be asked: a
 * refused password is the same on every replica, so taking them out of
 * rotation routes around nothing, swaps the clients' typed error for a
 * connection error, and flapped every 30 s (unready during each hold, ready
 * when it ended, until the next request was refused).
 */
export function readyz(providers: ProviderSet, isDraining: () => boolean) {
  return (_req: Request, res: Response): void => {
    let askable = false;
    const list = providers.all.map((adapter) => {
      const { health, cause } = adapter.upstream.healthReport();
      const loginHeldMs = adapter.upstream.loginRefusalHeldMs();
      if (health !== 'DOWN' || adapter.upstream.breakerTestDue()) askable = true;
      return {
        id: adapter.account.id,
        kind: adapter.account.kind,
        health,
        breaker: adapter.upstream.breakerState(),
        ...(cause ? { cause } : {}),
        ...(loginHeldMs > 0 ? { login: 'refused' as const, retryAfterSeconds: Math.ceil(loginHeldMs / 1000) } : {}),
      };
    });
    const ready = !isDraining() && askable;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', providers: list });
  };
}
