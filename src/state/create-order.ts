import { withinMs } from './bounded-call.js';
import type { KeyValueStore } from './store.js';

/** The store namespace of the places (`create-order:` in Redis), beside `idem:`, `cache:` and `finished:`. */
export const CREATE_ORDER_NAMESPACE = 'create-order';
/** Most creates of one series at once: past this a create is refused before it acts. */
export const MOST_OVERLAPPING_CREATES = 32;
/** A slow or unreachable store must not hold a create: past this the store counts as unanswered. */
export const CREATE_ORDER_STORE_WAIT_MS = 250;

/**
 * How long a given-up place is kept: as long as the gateway follows the
 * operations counting it (FINISH_TIME_KEPT_MS, the idempotency records'
 * 24 h; a unit test holds them equal), never longer, so under Redis's
 * volatile-ttl eviction it cannot outlast the records a retry depends on.
 */
export const GIVEN_UP_KEPT_MS = 24 * 60 * 60 * 1000;

const TAKEN = 'taken';
const GIVEN_UP = 'given-up';

/** A place in the series (1 first); `full` when every place is held; `unanswered` when the store did not answer in time. */
export type Taking = number | 'full' | 'unanswered';

/**
 * The order of overlapping creates that a provider tells apart only by the
 * order of what they made (OnApp answers a create with no record: each one
 * looks for "the n-th new backup of the disk"). Each create takes a place in
 * its series with an atomic setIfAbsent, so two creates at once, even on two
 * gateway processes sharing Redis, never hold the same place.
 *
 * A create whose call failed gives its place up. A later place's rank must
 * then drop by one (its backup is one earlier in the list than its place
 * says), so a place given up while a later one is held stays, marked, for
 * as long as operations are followed; with no later place held it is
 * deleted instead, so failures one after another never fill the series.
 * The place is never taken again: an operation that has found its backup
 * keeps finding the same one.
 */
export class CreateOrder {
  constructor(
    private readonly store: KeyValueStore,
    /** Told each time the store did not answer a take in time (the gateway logs it). */
    private readonly onUnanswered: () => void = () => {},
  ) {}

  /** The first free place of `series`, held for `heldMs` (as long as the create may stay unmatched). */
  async take(series: string, heldMs: number): Promise<Taking> {
    const held = await withinMs(this.store.getMany<string>(placeKeys(series, MOST_OVERLAPPING_CREATES)), CREATE_ORDER_STORE_WAIT_MS);
    if (held === undefined) return this.unanswered();
    for (const place of freePlaces(held)) {
      const taken = await withinMs(this.store.setIfAbsent(placeKey(series, place), TAKEN, heldMs), CREATE_ORDER_STORE_WAIT_MS);
      if (taken === undefined) return this.unanswered();
      if (taken) return place;
    }
    return 'full';
  }

  /**
   * For a create whose call failed. Marked first, then deleted only if no
   * later place is held: marking last would let a place taken meanwhile
   * count a place that is not there. Never throws: a store that does not
   * answer leaves the place held until its TTL.
   */
  async giveUp(series: string, place: number): Promise<void> {
    const key = placeKey(series, place);
    const marked = await withinMs(this.store.set(key, GIVEN_UP, GIVEN_UP_KEPT_MS).then(() => true), CREATE_ORDER_STORE_WAIT_MS);
    if (!marked) return;
    const next = await withinMs(this.store.get<string>(placeKey(series, place + 1)).then((value) => ({ value })), CREATE_ORDER_STORE_WAIT_MS);
    if (next !== undefined && next.value === undefined) await withinMs(this.store.delete(key), CREATE_ORDER_STORE_WAIT_MS);
  }

  /**
   * The rank of `place` among the creates of its series that may have made
   * something: its place less the places before it given up. A store that
   * does not answer in time counts none (the next read asks again).
   */
  async rank(series: string, place: number): Promise<number> {
    if (place === 1) return 1;
    const before = await withinMs(this.store.getMany<string>(placeKeys(series, place - 1)), CREATE_ORDER_STORE_WAIT_MS);
    return before === undefined ? place : place - countGivenUp(before);
  }

  private unanswered(): 'unanswered' {
    this.onUnanswered();
    return 'unanswered';
  }
}

export const placeKey = (series: string, place: number): string => `${series}:${place}`;

/** The keys of places 1 to `count`. */
export const placeKeys = (series: string, count: number): string[] => Array.from({ length: count }, (_, index) => placeKey(series, index + 1));

/** The places (1 first) whose key holds nothing, in order. */
export function freePlaces(held: ReadonlyArray<string | undefined>): number[] {
  const free: number[] = [];
  held.forEach((value, index) => {
    if (value === undefined) free.push(index + 1);
  });
  return free;
}

export const countGivenUp = (held: ReadonlyArray<string | undefined>): number => held.filter((value) => value === GIVEN_UP).length;
