import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AccountReadsInFlight } from '../../src/gateway/account-reads-in-flight.js';

/** A read whose end the test decides. */
function read<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** Whether `promise` has settled once every microtask and a turn of the event loop have run. */
async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await nextTurn();
  await nextTurn();
  return settled;
}

/** `hops` microtasks later, as a DataLoader batch starts once its callers have asked. */
async function afterMicrotasks(hops: number): Promise<void> {
  for (let hop = 0; hop < hops; hop++) await Promise.resolve();
}

describe("AccountReadsInFlight: a request's reads of each account still under way", () => {
  it('answers an account with no read once a turn has passed', async () => {
    const reads = new AccountReadsInFlight();
    expect(await settledYet(reads.settled('a'))).toBe(true);
  });

  it("waits for each read of the account, resolved or failed, and for no other account's", async () => {
    const reads = new AccountReadsInFlight();
    const [first, second, other] = [read(), read(), read()];
    const tracked = reads.track(['a', 'b'], first.promise);
    expect(tracked).toBe(first.promise);
    reads.track(new Set(['a']), second.promise);
    reads.track(['c'], other.promise);
    const a = reads.settled('a');
    const b = reads.settled('b');
    expect(await settledYet(a)).toBe(false);
    expect(await settledYet(b)).toBe(false);
    // The later read of a ends first: the earlier one is still waited for.
    second.reject(new Error('unreachable'));
    expect(await settledYet(a)).toBe(false);
    expect(await settledYet(b)).toBe(false);
    first.resolve('answer');
    expect(await settledYet(b)).toBe(true);
    expect(await settledYet(a)).toBe(true);
    // The read of c never ended: c alone is still waited for.
    expect(await settledYet(reads.settled('c'))).toBe(false);
    expect(await settledYet(reads.settled('a'))).toBe(true);
  });

  it('waits for a read that starts after it is asked, within the turn (a sibling field, a DataLoader batch), on a first wait and a later one', async () => {
    const reads = new AccountReadsInFlight();
    for (const round of [1, 2]) {
      const late = read();
      const waiting = reads.settled('a');
      await afterMicrotasks(5);
      reads.track(['a'], late.promise);
      expect(await settledYet(waiting), `round ${round}`).toBe(false);
      late.resolve('done');
      expect(await settledYet(waiting), `round ${round}`).toBe(true);
    }
  });

  it("waits for a read that starts once an earlier one's answer is in (a nested list under its parent)", async () => {
    const reads = new AccountReadsInFlight();
    const [parent, child] = [read(), read()];
    reads.track(['a'], parent.promise);
    // The child is asked for as soon as the parent's answer is in, before anyone else runs.
    void parent.promise.then(() => reads.track(['a'], child.promise));
    const waiting = reads.settled('a');
    parent.resolve('parent');
    expect(await settledYet(waiting)).toBe(false);
    child.resolve('child');
    expect(await settledYet(waiting)).toBe(true);
  });

  it('forgets a read once it has settled, so the next wait does not hold on it', async () => {
    const reads = new AccountReadsInFlight();
    const done = read();
    reads.track(['a'], done.promise);
    done.resolve('answer');
    await done.promise;
    const [pending] = [read()];
    reads.track(['b'], pending.promise);
    expect(await settledYet(reads.settled('a'))).toBe(true);
  });
});
