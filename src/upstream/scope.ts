import type { UpstreamBudget } from './budget.js';

/**
 * What an upstream request carries of the GraphQL request it serves. Passed
 * explicitly rather than through async-local storage, whose promise hooks
 * (node:async_hooks) cost ~15% of the gateway's CPU on Node 20.
 */
export interface UpstreamScope {
  readonly requestId: string | undefined;
  /** Upstream calls the request may still cause; none for work no client request caused. */
  readonly budget?: UpstreamBudget | undefined;
}

/** For work no client request caused (start-up checks, health probes). */
export const UNSCOPED: UpstreamScope = { requestId: undefined };
