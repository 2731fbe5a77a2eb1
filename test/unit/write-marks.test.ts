import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { FailedAfterWriteReached, failuresAfterWriteKept } from '../../src/upstream/after-write-reached.js';
import { failuresBeforeAnyWriteFreed } from '../../src/upstream/before-any-write.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { UpstreamFailure } from '../../src/upstream/deadline.js';
import { FailedBeforeAnyWrite } from '../../src/upstream/failed-before-any-write.js';
import { mayHaveActed } from '../../src/upstream/may-have-acted.js';
import { WriteRefused, WriteSends, writeRefusedInAnswer } from '../../src/upstream/write-refused.js';

/** The marks a mutation's writes leave (write-refused.ts, before-any-write.ts), each path. */
const timeout = () => new UpstreamFailure('PROVIDER_TIMEOUT', 'provider p did not answer in time', { provider: 'p' }, 'timeout');
const caught = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => null, (error: unknown) => error);

describe('a write refused inside a 2xx', () => {
  it('takes its reach back, never below none', () => {
    const budget = new UpstreamBudget(10);
    budget.writeReached();
    writeRefusedInAnswer({ requestId: 'r', budget });
    writeRefusedInAnswer({ requestId: 'r', budget });
    expect(budget.writesReached).toBe(0);
    expect(() => writeRefusedInAnswer({ requestId: 'r' })).not.toThrow();
  });

  it('frees the key whatever failed after it, keeping its code, message and details', () => {
    const refused = new WriteRefused(timeout());
    expect(mayHaveActed(timeout())).toBe(true);
    expect(mayHaveActed(refused)).toBe(false);
    expect([refused.code, refused.message, refused.details]).toEqual(['PROVIDER_TIMEOUT', 'provider p did not answer in time', { provider: 'p' }]);
  });

  it('keeps the key where an earlier write of the mutation reached the provider', async () => {
    const budget = new UpstreamBudget(10);
    const failed = await caught(
      failuresAfterWriteKept(budget, async () => {
        budget.writeReached();
        throw new WriteRefused(timeout());
      }),
    );
    expect(failed).toBeInstanceOf(FailedAfterWriteReached);
    expect(mayHaveActed(failed)).toBe(true);
  });
});

describe('a failure before any write', () => {
  it('frees the key where its kind alone would keep it; a refusal and a bug stay as they are', async () => {
    const budget = new UpstreamBudget(10);
    const freed = await caught(failuresBeforeAnyWriteFreed(budget, () => Promise.reject(timeout())));
    expect(freed).toBeInstanceOf(FailedBeforeAnyWrite);
    expect(mayHaveActed(freed)).toBe(false);
    const refusal = new GatewayError('NOT_FOUND', 'no such VM');
    expect(await caught(failuresBeforeAnyWriteFreed(budget, () => Promise.reject(refusal)))).toBe(refusal);
    const bug = new TypeError('a bug');
    expect(await caught(failuresBeforeAnyWriteFreed(budget, () => Promise.reject(bug)))).toBe(bug);
  });

  it('leaves a failure after a write was sent as it is: that write may have acted', async () => {
    const budget = new UpstreamBudget(10);
    const failure = timeout();
    const failed = await caught(
      failuresBeforeAnyWriteFreed(budget, async () => {
        budget.spend(true);
        throw failure;
      }),
    );
    expect(failed).toBe(failure);
    expect(mayHaveActed(failed)).toBe(true);
  });

  it('runs a mutation with no budget as it is', async () => {
    await expect(failuresBeforeAnyWriteFreed(undefined, async () => 'answered')).resolves.toBe('answered');
    const failure = timeout();
    expect(await caught(failuresBeforeAnyWriteFreed(undefined, () => Promise.reject(failure)))).toBe(failure);
  });
});

describe('WriteSends', () => {
  it('reads the call\'s failure by its last send: refused inside its answer, or sent again and not', () => {
    const budget = new UpstreamBudget(10);
    const sends = new WriteSends({ requestId: 'r', budget });
    const failure = timeout();
    sends.sending();
    expect(sends.failure(failure)).toBe(failure);
    budget.writeReached();
    sends.refusedInAnswer();
    expect(budget.writesReached).toBe(0);
    const refused = sends.failure(failure);
    expect(refused).toBeInstanceOf(WriteRefused);
    expect(sends.failure(refused)).toBe(refused);
    expect(sends.failure('not an error')).toBe('not an error');
    // Sent again (a renewed session): until that answer reads, it may have acted.
    sends.sending();
    expect(sends.failure(failure)).toBe(failure);
  });

  it('leaves a failure met before any send as it is (a login that failed): nothing was refused', () => {
    const failure = timeout();
    const failed = new WriteSends({ requestId: 'r', budget: new UpstreamBudget(10) }).failure(failure);
    expect(failed).toBe(failure);
    expect(mayHaveActed(failed)).toBe(true);
  });
});
