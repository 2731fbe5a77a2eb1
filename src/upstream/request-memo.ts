import type { UpstreamScope } from './scope.js';

/**
 * A read shared within one GraphQL request, keyed by its scope: never across
 * requests, so no request's id, budget or signal is lent to another's call.
 * The entry goes with the request (a WeakMap), or earlier as each use says.
 */
export class RequestMemo<T> {
  private readonly byScope = new WeakMap<UpstreamScope, Promise<T>>();

  /** The read this request has in flight, or a new one; forgotten once it settles, so a later read sees fresh data. */
  shared(scope: UpstreamScope, read: () => Promise<T>): Promise<T> {
    const current = this.byScope.get(scope);
    if (current) return current;
    const started = read().finally(() => {
      if (this.byScope.get(scope) === started) this.byScope.delete(scope);
    });
    this.byScope.set(scope, started);
    return started;
  }

  /** Starts a read now for a use later in the same request (`take`); a second start while one waits is ignored. */
  prefetch(scope: UpstreamScope, read: () => Promise<T>): void {
    if (this.byScope.has(scope)) return;
    const started = read();
    // Failures reach whoever takes it; untaken, it must not be an unhandled rejection.
    started.catch(() => {});
    this.byScope.set(scope, started);
  }

  /** The prefetched read, handed out once. */
  take(scope: UpstreamScope): Promise<T> | undefined {
    const prefetched = this.byScope.get(scope);
    this.byScope.delete(scope);
    return prefetched;
  }
}
