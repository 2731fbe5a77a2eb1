/**
 * One request's reads of each provider account still under way, so a field that reports on an
 * account (Provider.health) can be read once the request's own calls to it have ended: read at
 * once, `{ providers { health } instances { providerErrors } }` said UP beside "unreachable" for
 * an account whose first call failed in that very answer.
 */
export class AccountReadsInFlight {
  private readonly pending = new Map<string, Set<Promise<unknown>>>();
  /** One turn of the event loop shared by every field waiting in it (a dashboard has one per account). */
  private turn: Promise<void> | undefined;

  /** Counts `work` as a read of each account until it settles; returns it as it is. */
  track<T>(accounts: ReadonlySet<string> | readonly string[], work: Promise<T>): Promise<T> {
    for (const providerId of accounts) {
      let reads = this.pending.get(providerId);
      if (!reads) this.pending.set(providerId, (reads = new Set()));
      reads.add(work);
    }
    const done = (): void => {
      for (const providerId of accounts) this.pending.get(providerId)?.delete(work);
    };
    work.then(done, done);
    return work;
  }

  /**
   * Resolves once no read of the account is under way after a turn of the event loop. The turn
   * lets the fields that will read it start first: a sibling after this field, a nested list
   * once its parent's answer is in (DataLoader sends its batches before the turn ends). A read
   * that starts only after the request waited on something else is waited for where that wait is
   * tracked too: the request's read of the deletes in flight (Redis), an operation's handling once
   * read (its delete record, its instance's cached lists), each list's read cache round trip.
   */
  async settled(providerId: string): Promise<void> {
    for (;;) {
      await this.nextTurn();
      const reads = this.pending.get(providerId);
      if (!reads || reads.size === 0) return;
      await Promise.allSettled([...reads]);
    }
  }

  private nextTurn(): Promise<void> {
    this.turn ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.turn = undefined;
        resolve();
      }),
    );
    return this.turn;
  }
}
