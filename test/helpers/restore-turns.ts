import { RESTORE_ORDER_NAMESPACE } from '../../src/providers/onapp/restore-place.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';

/**
 * Watches a gateway's store of OnApp restores' places: `readAfterSecondPlace` resolves at the first
 * read of the places once a restore has taken place 2 of its series. A restore that waits for the
 * place before it reads it there; one that POSTs at once reads nothing between its take and its
 * POST. A test waits on this or on the POST reaching the simulator, whichever comes: no sleep.
 */
export class RestorePlaceWatch {
  readonly readAfterSecondPlace: Promise<void>;
  /** Resolves when place 2 of a series is given up (deleted, or marked given up). */
  readonly secondGivenUp: Promise<void>;
  /** While true, reads of the places after a take of place 2 fail, as a store gone down then. */
  failReadsAfterSecondPlace = false;
  /** While true, a place's `sent` mark is answered but never written (a write lost with its connection). */
  loseSentMarks = false;
  /** While true, every lease renewal finds its lease gone, as one that lapsed while its renewals were lost. */
  lapseLeases = false;
  /** Reads of the places once place 2 is taken: a restore waiting on place 1 reads them once per pause. */
  placeReadsAfterSecondPlace = 0;
  /** The next read of the places after place 2 is taken waits for its release (see holdNextRead). */
  private readHold: { arrived: () => void; released: Promise<void> } | undefined;
  private secondTaken = false;
  private markRead: () => void = () => {};
  private markGivenUp: () => void = () => {};

  constructor() {
    this.readAfterSecondPlace = new Promise((resolve) => {
      this.markRead = resolve;
    });
    this.secondGivenUp = new Promise((resolve) => {
      this.markGivenUp = resolve;
    });
  }

  /**
   * Holds the next read of the places once place 2 is taken: `arrived` resolves when it is held, and
   * it goes to the store (reading what is there by then) at `release`.
   */
  holdNextRead(): { arrived: Promise<void>; release(): void } {
    let release = (): void => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = (): void => {};
    const held = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    this.readHold = { arrived, released };
    return { arrived: held, release };
  }

  /** `places` (the restore-order namespace), told to this watch. */
  watch(places: KeyValueStore): KeyValueStore {
    return new Proxy(places, {
      get: (target, name, receiver) => {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]): unknown => (value as (...inner: unknown[]) => unknown).apply(target, args);
        // A place above the first is taken only while the one below is held (setIfAbsentAbove).
        if (name === 'setIfAbsent' || name === 'setIfAbsentAbove') {
          return async (...args: unknown[]) => {
            const taken = await call(...args);
            if (taken === true && typeof args[0] === 'string' && args[0].endsWith(':2')) this.secondTaken = true;
            return taken;
          };
        }
        if (name === 'deleteUnlessHeld') {
          return async (...args: unknown[]) => {
            const answer = await call(...args);
            if (typeof args[0] === 'string' && args[0].endsWith(':2')) this.markGivenUp();
            return answer;
          };
        }
        if (name === 'extendIfPresent') {
          return (...args: unknown[]) => (this.lapseLeases ? Promise.resolve(false) : call(...args));
        }
        if (name === 'set') {
          return (...args: unknown[]) => (this.loseSentMarks && args[1] === 'sent' ? Promise.resolve() : call(...args));
        }
        // A `sent` mark is written only over its holder's own value (compare and set): answered as written.
        if (name === 'replaceIfEqual') {
          return (...args: unknown[]) => (this.loseSentMarks && args[2] === 'sent' ? Promise.resolve(true) : call(...args));
        }
        // The places are read in one getMany; a get after a take is the VM's current series (see joinRestoreSeries), not them.
        if (name === 'getMany') {
          return (...args: unknown[]) => {
            if (this.secondTaken) {
              this.placeReadsAfterSecondPlace += 1;
              this.markRead();
            }
            if (this.secondTaken && this.failReadsAfterSecondPlace) return Promise.reject(new Error('the store went down'));
            const hold = this.secondTaken ? this.readHold : undefined;
            if (hold === undefined) return call(...args);
            this.readHold = undefined;
            hold.arrived();
            return hold.released.then(() => call(...args));
          };
        }
        return call;
      },
    });
  }
}

/** A memory store whose restore places are watched by `watch`. */
export class WatchedMemoryStore extends MemoryStore {
  constructor(private readonly placeWatch: RestorePlaceWatch) {
    super();
  }

  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    const store = super.namespace(name, options);
    return name === RESTORE_ORDER_NAMESPACE ? this.placeWatch.watch(store) : store;
  }
}

/** A Redis store whose restore places are watched by `watch`. */
export class WatchedRedisStore extends RedisStore {
  constructor(url: string, prefix: string, private readonly placeWatch: RestorePlaceWatch) {
    super(url, prefix);
  }

  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    const store = super.namespace(name, options);
    return name === RESTORE_ORDER_NAMESPACE ? this.placeWatch.watch(store) : store;
  }
}
