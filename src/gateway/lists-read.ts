/**
 * What a list loader read in one request: its DataLoader's `cacheMap`, which
 * also takes lists served without a promise (RequestLoaders.warmList). Such a
 * list becomes a promise only when a `load` asks for it again, which a
 * dashboard never does: a promise for each of its hundreds of lists was the
 * largest allocation of a warm dashboard outside graphql-jit and the answer's
 * JSON.
 */
export class ListsRead<T> {
  private readonly lists = new Map<string, Promise<T[]> | T[]>();

  /** Whether the request has read (or been served) this key's list. */
  has(key: string): boolean {
    return this.lists.has(key);
  }

  /** A list served as it is; a later `get` answers it. */
  serve(key: string, list: T[]): void {
    this.lists.set(key, list);
  }

  get(key: string): Promise<T[]> | undefined {
    const entry = this.lists.get(key);
    if (entry === undefined || entry instanceof Promise) return entry;
    const promise = Promise.resolve(entry);
    this.lists.set(key, promise);
    return promise;
  }

  set(key: string, promise: Promise<T[]>): void {
    this.lists.set(key, promise);
  }

  delete(key: string): void {
    this.lists.delete(key);
  }

  clear(): void {
    this.lists.clear();
  }
}
