import type { BusEvent, OperationBus } from '../cluster/operation-bus.js';
import { GatewayError, isGatewayError } from '../domain/errors.js';
import type { Operation } from '../domain/types.js';
import { withinMs } from '../state/bounded-call.js';

/** Backoff of the provider polls behind a subscription. */
const FIRST_POLL_MS = 250;
const BACKOFF_FACTOR = 1.5;
const LONGEST_POLL_MS = 5_000;

export interface WatcherTiming {
  /** How long the right to poll an operation lasts unrenewed (its holder renews it every third of that). */
  leaseMs: number;
  /** How often a replica that does not poll checks whether the poller is gone. */
  followCheckMs: number;
  /** How long the last status is kept for subscribers who join late. */
  keepLastMs: number;
  /**
   * How long a finished operation's last status is kept: long enough for a subscriber who joined
   * as it ended. Anyone who may read may subscribe to any operation id, made up or not, and each
   * made-up id ends at its first poll: kept keepLastMs, one viewer's connection filled Redis with
   * some 3.4 KB a subscription for 10 minutes (200 in 0.46 s against a local provider, about
   * 900 MB in those 10 minutes), which under volatile-ttl evicted the read cache first and under
   * noeviction refused the idempotency claims of every keyed mutation. A later subscriber polls
   * once and hears the end.
   */
  keepFinishedMs: number;
  /**
   * How long polls that fail for the shared store (STORE_UNAVAILABLE: the record of a started
   * operation its status rests on could not be read) are tried again, with the polls' backoff,
   * before the subscription ends with that error. Ended at the first, a subscription to a delete
   * or a Danube operation did not outlive a Redis restart or a failover of a few seconds.
   */
  storeOutageMs: number;
}

/**
 * How long a watch waits on the bus (listening, the last status, the lease) before it polls
 * alone: a Redis that stopped answering held a new subscriber without a status for as long as
 * its commands took to fail (ten seconds and more).
 */
const BUS_WAIT_MS = 500;

/** How long a subscription rides out a shared store that does not answer (WatcherTiming.storeOutageMs). */
export const STORE_OUTAGE_RIDDEN_MS = 30_000;

const DEFAULT_TIMING: WatcherTiming = { leaseMs: 15_000, followCheckMs: 5_000, keepLastMs: 10 * 60_000, keepFinishedMs: 15_000, storeOutageMs: STORE_OUTAGE_RIDDEN_MS };

type Listener = (operation: Operation | Error) => void;

interface Watch {
  listeners: Set<Listener>;
  /** Status and error of the last status told, so each change is told once. */
  last: string | null;
  lastOperation: Operation | null;
  poll: (signal: AbortSignal) => Promise<Operation>;
  /**
   * Aborted when the watch stops: a poll still waiting for an upstream slot or in flight is
   * cancelled. Run on, the polls of subscriptions already gone held the account's slots and queue
   * (one client subscribing and cancelling every 300 ms against a slow provider kept another
   * client's read waiting 7 s), and no cap counted them: their places had been given back.
   */
  polling: AbortController;
  /** Next poll (poller) or next look at the lease (follower). */
  timer: NodeJS.Timeout | null;
  renewTimer: NodeJS.Timeout | null;
  /** Whether this process polls the provider for it (holds the lease). */
  leading: boolean;
  leaveBus: (() => Promise<void>) | null;
  /** When the polls began to fail for the shared store (performance.now()); null while they do not. */
  storeFailingSince: number | null;
}

const isDone = (operation: Operation): boolean => operation.status === 'SUCCEEDED' || operation.status === 'FAILED';
const stateOf = (operation: Operation): string => `${operation.status}|${operation.error ?? ''}`;
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
const isStoreOutage = (error: Error): boolean => isGatewayError(error) && error.code === 'STORE_UNAVAILABLE';

/**
 * One poll loop per operation id, however many subscribers: the loop asks the
 * provider with backoff while at least one listener remains, tells every
 * listener about each status change, and stops when the operation ends or
 * nobody listens. A listener who joins a watched operation gets its last
 * known status at once.
 *
 * With a bus (Redis, shared by the replicas) the loop is one across replicas:
 * the replica holding the operation's lease polls and publishes each change,
 * the others pass on what it publishes, and take the lease over when it is
 * released (its subscribers left, it shut down) or expires (it died). Should
 * the bus fail, a replica polls for itself, as it would alone.
 */
export class OperationWatcher {
  private readonly watches = new Map<string, Watch>();
  /** Lease releases and unsubscribes under way, awaited by `close`. */
  private readonly cleanups = new Set<Promise<void>>();
  private readonly timing: WatcherTiming;

  constructor(
    private readonly bus?: OperationBus,
    timing: Partial<WatcherTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  /** Operations this process watches (one loop, or one follow, each). */
  get loops(): number {
    return this.watches.size;
  }

  /** Operations this process polls the provider for. */
  get polling(): number {
    return [...this.watches.values()].filter((watch) => watch.leading).length;
  }

  /**
   * `beforeEach`: this subscriber's own, called with each status before it is handed on (the loop's
   * `poll` is the first subscriber's, shared by those who join later).
   */
  watch(id: string, poll: (signal: AbortSignal) => Promise<Operation>, beforeEach: (operation: Operation) => void = () => {}): AsyncIterableIterator<Operation> {
    const queue: Array<Operation | Error> = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const listener: Listener = (event) => {
      queue.push(event);
      wake?.();
    };
    let watch = this.watches.get(id);
    if (!watch) {
      watch = {
        listeners: new Set([listener]),
        last: null,
        lastOperation: null,
        poll,
        polling: new AbortController(),
        timer: null,
        renewTimer: null,
        leading: false,
        leaveBus: null,
        storeFailingSince: null,
      };
      this.watches.set(id, watch);
      if (this.bus) void this.join(id, watch, this.bus);
      else this.lead(id, watch);
    } else {
      watch.listeners.add(listener);
      if (watch.lastOperation) listener(watch.lastOperation);
    }
    const leave = () => {
      finished = true;
      const current = this.watches.get(id);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size === 0) this.stop(id, current, false);
    };
    const iterator: AsyncIterableIterator<Operation> = {
      [Symbol.asyncIterator]: () => iterator,
      next: async () => {
        while (queue.length === 0 && !finished) await new Promise<void>((resolve) => (wake = resolve));
        const event = queue.shift();
        if (event === undefined) return { done: true, value: undefined };
        if (event instanceof Error) {
          leave();
          throw event;
        }
        if (isDone(event)) {
          finished = true;
          queue.length = 0;
          leave();
        }
        beforeEach(event);
        return { done: false, value: event };
      },
      return: async () => {
        leave();
        wake?.();
        return { done: true, value: undefined };
      },
    };
    return iterator;
  }

  /** Ends every loop (server shutdown), giving up the leases so another replica polls on. */
  async close(): Promise<void> {
    for (const [id, watch] of [...this.watches]) this.stop(id, watch, false);
    await Promise.all([...this.cleanups]);
  }

  private current(id: string, watch: Watch): boolean {
    return this.watches.get(id) === watch;
  }

  /** Listens to the bus, starts from the last published status, then competes for the lease. */
  private async join(id: string, watch: Watch, bus: OperationBus): Promise<void> {
    const subscribed = bus.subscribe(id, (event) => this.onBusEvent(id, watch, event));
    // Kept whenever it lands, even past BUS_WAIT_MS; left at once if the watch ended meanwhile.
    this.track(
      subscribed.then(async (leave) => {
        if (this.current(id, watch)) watch.leaveBus = leave;
        else await leave();
      }),
    );
    const listening = await withinMs(subscribed.then(() => true), BUS_WAIT_MS);
    if (listening && this.current(id, watch)) {
      const last = await withinMs(bus.last(id), BUS_WAIT_MS);
      if (last && this.current(id, watch)) this.tell(id, watch, last, false);
    }
    // Not listening in time: poll alone (the claim below answers late or not at all too).
    if (this.current(id, watch)) await this.contend(id, watch, bus);
  }

  private async contend(id: string, watch: Watch, bus: OperationBus): Promise<void> {
    if (watch.leading) return;
    // A bus that fails or does not answer in time: poll alone, as without one.
    const won = (await withinMs(bus.claim(id, this.timing.leaseMs), BUS_WAIT_MS)) ?? true;
    if (!this.current(id, watch) || watch.leading) {
      if (won && !this.current(id, watch)) this.track(bus.release(id));
      return;
    }
    if (won) {
      this.lead(id, watch);
      return;
    }
    if (watch.timer) clearTimeout(watch.timer);
    watch.timer = setTimeout(() => void this.contend(id, watch, bus), this.timing.followCheckMs);
  }

  private lead(id: string, watch: Watch): void {
    watch.leading = true;
    watch.storeFailingSince = null;
    if (watch.timer) clearTimeout(watch.timer);
    const bus = this.bus;
    if (bus) {
      watch.renewTimer = setInterval(() => {
        bus.claim(id, this.timing.leaseMs).then(
          (still) => {
            if (still || !this.current(id, watch)) return;
            // Another replica polls now (this one stalled past the lease): follow it.
            this.unlead(watch);
            void this.contend(id, watch, bus);
          },
          () => {},
        );
      }, this.timing.leaseMs / 3);
    }
    this.schedule(id, watch, FIRST_POLL_MS, 0);
  }

  private unlead(watch: Watch): void {
    watch.leading = false;
    if (watch.timer) clearTimeout(watch.timer);
    if (watch.renewTimer) clearInterval(watch.renewTimer);
    watch.timer = null;
    watch.renewTimer = null;
  }

  private schedule(id: string, watch: Watch, delayMs: number, waitMs: number): void {
    watch.timer = setTimeout(() => {
      watch.poll(watch.polling.signal).then(
        (operation) => {
          if (!this.current(id, watch)) return;
          watch.storeFailingSince = null;
          this.tell(id, watch, operation, true);
          const next = Math.min(delayMs * BACKOFF_FACTOR, LONGEST_POLL_MS);
          if (this.current(id, watch) && watch.leading) this.schedule(id, watch, next, next);
        },
        (error: unknown) => {
          if (!this.current(id, watch)) return;
          const failure = asError(error);
          if (isStoreOutage(failure) && this.ridesOut(watch)) {
            // Nothing told: the subscriber keeps the last status, and hears the next once the store answers.
            const next = Math.min(delayMs * BACKOFF_FACTOR, LONGEST_POLL_MS);
            if (watch.leading) this.schedule(id, watch, next, next);
            return;
          }
          if (this.bus) {
            const event: BusEvent = isGatewayError(failure)
              ? { type: 'error', code: failure.code, message: failure.message }
              : { type: 'error', code: 'INTERNAL_SERVER_ERROR', message: 'the operation status could not be read' };
            this.track(this.bus.publish(id, event, this.timing.keepLastMs));
          }
          this.fail(id, watch, failure);
        },
      );
    }, waitMs);
  }

  /** Whether a poll that failed for the shared store is tried again: until storeOutageMs after the first such failure. */
  private ridesOut(watch: Watch): boolean {
    const now = performance.now();
    watch.storeFailingSince ??= now;
    return now - watch.storeFailingSince < this.timing.storeOutageMs;
  }

  /** Tells each status change once; the poller also publishes it to the other replicas. */
  private tell(id: string, watch: Watch, operation: Operation, publish: boolean): void {
    const state = stateOf(operation);
    if (state === watch.last) return;
    watch.last = state;
    watch.lastOperation = operation;
    for (const listener of watch.listeners) listener(operation);
    const keepMs = isDone(operation) ? this.timing.keepFinishedMs : this.timing.keepLastMs;
    if (publish && this.bus) this.track(this.bus.publish(id, { type: 'status', operation }, keepMs));
    if (isDone(operation)) this.stop(id, watch, true);
  }

  private fail(id: string, watch: Watch, error: Error): void {
    for (const listener of watch.listeners) listener(error);
    this.stop(id, watch, true);
  }

  private onBusEvent(id: string, watch: Watch, event: BusEvent): void {
    if (!this.current(id, watch)) return;
    if (event.type === 'status') this.tell(id, watch, event.operation, false);
    else if (event.type === 'error') this.fail(id, watch, new GatewayError(event.code, event.message));
    else if (!watch.leading && this.bus) void this.contend(id, watch, this.bus);
  }

  /** Ends the watch; a poller that stops before the operation ended hands the polling on. */
  private stop(id: string, watch: Watch, ended: boolean): void {
    if (!this.current(id, watch)) return;
    const wasLeading = watch.leading;
    this.unlead(watch);
    this.watches.delete(id);
    watch.polling.abort();
    const bus = this.bus;
    if (!bus) return;
    const leaveBus = watch.leaveBus;
    this.track(
      (async () => {
        if (wasLeading) {
          await bus.release(id);
          if (!ended) await bus.publish(id, { type: 'released' }, this.timing.keepLastMs);
        }
        await leaveBus?.();
      })(),
    );
  }

  private track(work: Promise<unknown>): void {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.cleanups.add(settled);
    void settled.then(() => this.cleanups.delete(settled));
  }
}
