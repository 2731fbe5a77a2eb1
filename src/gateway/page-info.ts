/**
 * A page's Relay PageInfo. `startCursor` is made when it is read, as each
 * edge's cursor is (a keyed cursor costs an id and a base64 encoding, and a
 * forward-paging client asks for `endCursor` only).
 */
export class PageInfo {
  readonly endCursor: string | null;
  readonly #edges: ReadonlyArray<{ readonly cursor: string }>;

  constructor(
    readonly hasNextPage: boolean,
    readonly hasPreviousPage: boolean,
    edges: ReadonlyArray<{ readonly cursor: string }>,
  ) {
    this.#edges = edges;
    this.endCursor = edges.at(-1)?.cursor ?? null;
  }

  get startCursor(): string | null {
    return this.#edges[0]?.cursor ?? null;
  }
}
