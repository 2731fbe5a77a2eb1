/** How a request that held a key's claim in this process ended: its answer, or its failure and whether it may have acted. */
export type EndedHere = { result: unknown } | { failure: unknown; mayHaveActed: boolean };

/** A claim this process holds: its request's input fingerprint, and its end once it comes. */
export interface HeldHere {
  readonly fingerprint: string;
  readonly ended: Promise<EndedHere>;
}

/**
 * The idempotency claims this process holds while their requests run, by store key. The store
 * alone cannot keep a retry from acting again once it has lost the claim (Redis flushed, evicted,
 * failed over while the first request acted): the retry finds the key empty. A retry that comes
 * to the replica running the first request needs no store to know: it waits for that request's
 * end here and is told it. Another replica cannot know (docs/configuration.md, "A claim lost
 * from Redis").
 */
export class ClaimsHeldHere {
  private readonly held = new Map<string, HeldHere>();

  /** The claim held here under `storeKey`, if its request still runs. */
  find(storeKey: string): HeldHere | undefined {
    return this.held.get(storeKey);
  }

  /** Registers a claim just taken; the returned function tells its end and forgets it. */
  hold(storeKey: string, fingerprint: string): (ended: EndedHere) => void {
    let tell: (ended: EndedHere) => void = () => {};
    const entry: HeldHere = { fingerprint, ended: new Promise<EndedHere>((resolve) => (tell = resolve)) };
    this.held.set(storeKey, entry);
    return (ended) => {
      if (this.held.get(storeKey) === entry) this.held.delete(storeKey);
      tell(ended);
    };
  }
}
