import { randomUUID } from 'node:crypto';
import { MUTATION_STORE_WAIT_MS, withinMs } from './bounded-call.js';
import type { KeyValueStore } from './store.js';

/**
 * A leased place's value: `leased:` and its holder's id. Held as long as any place, but counted as
 * in flight only while the holder's lease (see PlaceLease) lives; a replica of an earlier version
 * reads it as any unknown value, open, as it read `taken:`.
 */
export const LEASED = 'leased:';

/** The lease of the place holding `leased:<holder>` in `series`. */
export const leaseKey = (series: string, holder: string): string => `${series}:lease:${holder}`;

/** The holder a leased place's value names; undefined for any other value. */
export function leaseHolderOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > LEASED.length && value.startsWith(LEASED) ? value.slice(LEASED.length) : undefined;
}

/**
 * Over the provider call's own timeout: the answer of the lease's last renewal before the call may
 * take a mutation's store wait to come back, and the call starts only then.
 */
export const LEASE_MARGIN_MS = MUTATION_STORE_WAIT_MS + 1_000;

/** Renewals per lease time: three may be lost to a slow store before the lease lapses under a live holder. */
const RENEWALS_PER_LEASE = 4;

/** What the lease's key holds while it lives. */
const ALIVE = 'alive';

/**
 * A short-lived key beside a place, renewed by its holder while it waits for its turn and while its
 * call is in flight. The store's own TTL ends it (PX in Redis), never a comparison of two machines'
 * clocks: once the holder's replica is gone (killed, cut off at a drain, or its store unreachable),
 * it lapses within `ttlMs`, and a later place reads the place as one whose call may have reached
 * the provider, rather than waiting for a mark that never comes. A lapsed lease is never renewed
 * (renewal only extends a key still there): so a holder whose place was read so never makes its call.
 */
export class PlaceLease {
  readonly holder = randomUUID();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly series: string,
    /** Longer than the holder's call can take (see LEASE_MARGIN_MS). */
    readonly ttlMs: number,
  ) {}

  /** The value the holder's place holds. */
  get placeValue(): string {
    return `${LEASED}${this.holder}`;
  }

  /**
   * Starts the lease, before the place is taken: a place whose lease is not there yet would read as
   * lapsed. False when the store did not answer in time; renewed until stop().
   */
  async open(): Promise<boolean> {
    const opened = await withinMs(this.store.set(leaseKey(this.series, this.holder), ALIVE, this.ttlMs).then(() => true), MUTATION_STORE_WAIT_MS);
    if (!opened) return false;
    this.timer = setInterval(() => void this.renew(), this.ttlMs / RENEWALS_PER_LEASE);
    this.timer.unref();
    return true;
  }

  /**
   * Renews the lease for its whole time: true while it lived, false once it has lapsed (the place
   * may have been read as abandoned: its call must not be made), undefined when the store did not
   * answer in time.
   */
  renew(): Promise<boolean | undefined> {
    return withinMs(this.store.extendIfPresent(leaseKey(this.series, this.holder), this.ttlMs), MUTATION_STORE_WAIT_MS);
  }

  /** No more renewals: the place is marked (sent, uncertain, given up), or never taken. */
  stop(): void {
    clearInterval(this.timer);
  }
}
