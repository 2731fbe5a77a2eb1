import type { Instance } from '../domain/types.js';

/**
 * The instances a request's accounts listed, by loader key, and its instance
 * loader's `cacheMap`: a listed instance answers a `load` of its key, as
 * `DataLoader.prime` would, and counts as seen (RequestLoaders' `seen`).
 * `prime` made a resolved promise and two map entries for every instance of
 * every account, on every request, and a dashboard never loads one by id.
 * Here each account's list is held whole, and its index by key is made once
 * per list object: the read cache hands every request the same list (never
 * mutated once mapped), so a warm request builds nothing per instance.
 */
export class ListedInstances {
  /** What the loader itself put (its loads' promises), and listed instances once a `load` asked for them. */
  private readonly loaded = new Map<string, Promise<Instance | null>>();
  /** Each account's listed instances by key, in the order they were listed. */
  private readonly lists: Array<ReadonlyMap<string, Instance>> = [];
  /**
   * Where the loader forgot a key (a `delete`, a failed load): the number of lists added by then.
   * As after `prime`, only an instance listed later answers that key again.
   */
  private readonly forgottenAt = new Map<string, number>();
  /** The same for every key, from the last `clear`. */
  private clearedAt = 0;

  /**
   * Adds an account's listed instances (keyed by `keyOf`). As `prime`, an instance does not
   * replace what a key already holds: the loader's own answer, or an earlier list's instance.
   */
  add(list: readonly Instance[], keyOf: (instance: Instance) => string): void {
    this.lists.push(indexOf(list, keyOf));
  }

  /** Whether an account listed this key in this request (forgotten by the loader or not). */
  listed(key: string): boolean {
    return this.listedSince(key, 0) !== undefined;
  }

  get(key: string): Promise<Instance | null> | undefined {
    const known = this.loaded.get(key);
    if (known !== undefined) return known;
    const instance = this.listedSince(key, Math.max(this.clearedAt, this.forgottenAt.get(key) ?? 0));
    if (instance === undefined) return undefined;
    const promise = Promise.resolve(instance);
    this.loaded.set(key, promise);
    return promise;
  }

  set(key: string, promise: Promise<Instance | null>): void {
    this.loaded.set(key, promise);
  }

  delete(key: string): void {
    this.loaded.delete(key);
    this.forgottenAt.set(key, this.lists.length);
  }

  clear(): void {
    this.loaded.clear();
    this.forgottenAt.clear();
    this.clearedAt = this.lists.length;
  }

  private listedSince(key: string, from: number): Instance | undefined {
    for (let position = from; position < this.lists.length; position++) {
      const instance = this.lists[position]?.get(key);
      if (instance !== undefined) return instance;
    }
    return undefined;
  }
}

/** Each list's index by key, per list object and key function (the first instance of a key keeps it, as `prime` did). */
const indexes = new WeakMap<readonly Instance[], { keyOf: (instance: Instance) => string; index: ReadonlyMap<string, Instance> }>();
function indexOf(list: readonly Instance[], keyOf: (instance: Instance) => string): ReadonlyMap<string, Instance> {
  const known = indexes.get(list);
  if (known?.keyOf === keyOf) return known.index;
  const index = new Map<string, Instance>();
  for (const instance of list) {
    const key = keyOf(instance);
    if (!index.has(key)) index.set(key, instance);
  }
  indexes.set(list, { keyOf, index });
  return index;
}
