import { describe, expect, it } from 'vitest';
import { ClaimsHeldHere } from '../../src/gateway/claims-held-here.js';

describe('ClaimsHeldHere', () => {
  it('tells a claim\'s end to those waiting on it and forgets it', async () => {
    const claims = new ClaimsHeldHere();
    const end = claims.hold('k', 'fp');
    const held = claims.find('k');
    expect(held?.fingerprint).toBe('fp');
    end({ result: 'done' });
    expect(await held?.ended).toEqual({ result: 'done' });
    expect(claims.find('k')).toBeUndefined();
  });

  it('an earlier claim under the same key ending late leaves the later claim held', async () => {
    const claims = new ClaimsHeldHere();
    const endFirst = claims.hold('k', 'first');
    // The first lost its claim in the store and a second request took the key again.
    const endSecond = claims.hold('k', 'second');
    endFirst({ failure: new Error('cut'), mayHaveActed: true });
    expect(claims.find('k')?.fingerprint).toBe('second');
    endSecond({ result: 2 });
    expect(claims.find('k')).toBeUndefined();
  });
});
