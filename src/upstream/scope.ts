import type { RowLeftOut } from '../domain/row-left-out.js';
import type { UpstreamBudget } from './budget.js';
import type { FlightTurns } from './flight-turns.js';

/**
 * What an upstream request carries of the GraphQL request it serves. Passed
 * explicitly rather than through async-local storage, whose promise hooks
 * (node:async_hooks) cost ~15% of the gateway's CPU on Node 20.
 */
export interface UpstreamScope {
  readonly requestId: string | undefined;
  /**
   * The client whose request caused the call (its key's id; an anonymous
   * caller's address): whose turn it waits in at the account's slots
   * (src/upstream/slots.ts). None for work no client caused (operation polls,
   * protection sweeps, start-up checks), which shares one turn.
   */
  readonly client?: string | undefined;
  /** A coalesced read's: every client it is for, each of whose turns may serve it (FlightTurns). */
  readonly turns?: FlightTurns | undefined;
  /** Upstream calls the request may still cause; none for work no client request caused. */
  readonly budget?: UpstreamBudget | undefined;
  /**
   * Aborted when the GraphQL request ends without its answer (the client
   * left), or when its answers pass their budget (UpstreamBudget.signal): its
   * reads still waiting for a slot or in flight are cancelled and their
   * sockets closed. Writes ignore it: a write cut off half-way is worse than
   * one finished whose answer nobody reads.
   */
  readonly signal?: AbortSignal;
  /** Told of each row of a provider's list left out for an id the gateway cannot read back (readable-rows.ts): the request says so in its answer. */
  readonly rowLeftOut?: ((row: RowLeftOut) => void) | undefined;
}

/** For work no client request caused (start-up checks, health probes). */
export const UNSCOPED: UpstreamScope = { requestId: undefined };

/**
 * The scope for a call whose answer other requests share (a login, a list
 * read once for every caller): one client leaving must not fail the others.
 */
export function sharedScope(scope: UpstreamScope): UpstreamScope {
  return scope.signal ? { ...scope, signal: undefined } : scope;
}
