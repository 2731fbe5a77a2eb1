import type { ErrorCode } from '../domain/errors.js';
import type { Operation } from '../domain/types.js';
import type { RedisConnectionState } from '../state/redis-connection-state.js';

/** What one replica tells the others about a watched operation. */
export type BusEvent =
  | { type: 'status'; operation: Operation }
  | { type: 'error'; code: ErrorCode; message: string }
  /** The poller stopped with the operation still running (its subscribers left): another may take over now. */
  | { type: 'released' };

/**
 * How gateway replicas share the poll loop of an operation: a lease decides
 * which replica polls the provider, and every status it sees reaches the
 * others' subscribers. Without one, each process polls for itself.
 */
export interface OperationBus {
  /** Takes the lease on `id`, or renews it when this replica holds it; true while it does. */
  claim(id: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if this replica holds it. */
  release(id: string): Promise<void>;
  /** Sends to every replica listening on `id` (this one included); a status is also kept for late joiners. */
  publish(id: string, event: BusEvent, keepMs: number): Promise<void>;
  /** The last status published for `id`, so a subscriber who joins late starts from it. */
  last(id: string): Promise<Operation | undefined>;
  /** Listens to `id` (messages from other replicas); resolves once listening, to the function that stops it. */
  subscribe(id: string, onEvent: (event: BusEvent) => void): Promise<() => Promise<void>>;
  /**
   * Tells the other replicas that this one has just written to `providerId` (a mutation acted):
   * each stops letting new reads join its reads of that account already in flight, which were
   * asked before the write (see ReadCoalescer.forgetFlights).
   */
  announceWrite(providerId: string): Promise<void>;
  /** Called with the account of each write another replica announces. */
  onWrite(listener: (providerId: string) => void): void;
  /** Its Redis connections' state now (the Redis bus: commands, and the subscriber that hears the other replicas). */
  connectionStates?(): RedisConnectionState[];
  /** `deadline` (ms since the epoch): when a connection that has not closed by then is dropped (see closeRedis). */
  close(deadline?: number): Promise<void>;
}
