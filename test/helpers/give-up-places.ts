import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { CreateOrder, placeKey } from '../../src/state/create-order.js';
import type { KeyValueStore } from '../../src/state/store.js';

/**
 * What a store must do for OnApp create places given up (CreateOrder.giveUp):
 * a place given up with no later one held is gone; with one held it stays,
 * marked, so the later create still counts it.
 */
export async function expectPlacesGivenUpAsCreateOrderDoes(store: KeyValueStore): Promise<void> {
  const order = new CreateOrder(store);
  const series = `onapp-a:7:${randomUUID()}`;
  expect(await order.take(series, 60_000)).toBe(1);
  await order.giveUp(series, 1);
  expect(await store.get(placeKey(series, 1))).toBeUndefined();
  expect(await order.take(series, 60_000)).toBe(1);
  expect(await order.take(series, 60_000)).toBe(2);
  await order.giveUp(series, 1);
  expect(await order.claimsUpTo([], series, 2)).toEqual([['given-up', 'open']]);
}

/**
 * What a store must do for a place whose take went unanswered (CreateOrder's
 * release): marked given up only while it holds that take's own value, never
 * another create's.
 */
export async function expectReplacedOnlyWhileHeld(store: KeyValueStore): Promise<void> {
  const key = `replace:${randomUUID()}`;
  const mine = `taken:${randomUUID()}`;
  await store.set(key, `taken:${randomUUID()}`, 60_000);
  expect(await store.replaceIfEqual(key, mine, 'given-up', 60_000)).toBe(false);
  expect(await store.get(key)).not.toBe('given-up');
  await store.set(key, mine, 60_000);
  expect(await store.replaceIfEqual(key, mine, 'given-up', 60_000)).toBe(true);
  expect(await store.get(key)).toBe('given-up');
  // Sent again after its answer was lost, the replace finds its own write.
  expect(await store.replaceIfEqual(key, mine, 'given-up', 60_000)).toBe(true);
  expect(await store.replaceIfEqual(`${key}:none`, mine, 'given-up', 60_000)).toBe(false);
  expect(await store.get(`${key}:none`)).toBeUndefined();
  // The replaced value lives for the TTL given, not the one the key held.
  await store.set(`${key}:short`, mine, 60_000);
  expect(await store.replaceIfEqual(`${key}:short`, mine, 'given-up', 50)).toBe(true);
  await expect.poll(() => store.get(`${key}:short`), { timeout: 5_000, interval: 20 }).toBeUndefined();
}

/**
 * What a store must do for a take of a place above the first (setIfAbsentAbove): set only while
 * the key is free and the key below it is held, so no place is ever held above a free one.
 */
export async function expectSetOnlyAboveHeld(store: KeyValueStore): Promise<void> {
  const series = `above:${randomUUID()}`;
  expect(await store.setIfAbsentAbove(`${series}:2`, `${series}:1`, 'taken:mine', 60_000)).toBe(false);
  expect(await store.get(`${series}:2`)).toBeUndefined();
  await store.set(`${series}:1`, 'taken:other', 60_000);
  expect(await store.setIfAbsentAbove(`${series}:2`, `${series}:1`, 'taken:mine', 60_000)).toBe(true);
  expect(await store.get(`${series}:2`)).toBe('taken:mine');
  expect(await store.setIfAbsentAbove(`${series}:2`, `${series}:1`, 'taken:third', 60_000)).toBe(false);
  expect(await store.get(`${series}:2`)).toBe('taken:mine');
  // Held for the TTL given.
  await store.set(`${series}:3`, 'given-up', 60_000);
  expect(await store.setIfAbsentAbove(`${series}:4`, `${series}:3`, 'taken:short', 50)).toBe(true);
  await expect.poll(() => store.get(`${series}:4`), { timeout: 5_000, interval: 20 }).toBeUndefined();
}
