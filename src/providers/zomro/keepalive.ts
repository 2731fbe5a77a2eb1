import { sharedScope, type UpstreamScope } from '../../upstream/scope.js';

/**
 * Whether a session is still live, asked with `func=keepalive` the way
 * Zomro's panel asks it after an `access` refusal (its checkIfTokenAlive /
 * getCurrentSessionStatus): BILLmanager answers a dead session and a
 * function the account may not use with the same `access` error, and only
 * the keepalive tells them apart (a live session answers it without error,
 * a dead one with `access` again).
 *
 * Refusals that come back at once for one session (a dashboard's reads after
 * the session died) share one keepalive: the answer is the same for all of
 * them, and each would otherwise cost a request. Only a keepalive in flight
 * is shared: a later refusal asks again, since the session may have died
 * in between.
 */
export class KeepaliveCheck {
  private readonly inFlight = new Map<string, Promise<boolean>>();

  /** `ask` sends the keepalive with `session` and reads the answer: true when the session is live. */
  constructor(private readonly ask: (session: string, scope: UpstreamScope) => Promise<boolean>) {}

  alive(session: string, scope: UpstreamScope): Promise<boolean> {
    const pending = this.inFlight.get(session);
    if (pending) return pending;
    // Shared: the first request's client leaving must not fail the others' check.
    const asked = this.ask(session, sharedScope(scope)).finally(() => this.inFlight.delete(session));
    this.inFlight.set(session, asked);
    return asked;
  }
}
