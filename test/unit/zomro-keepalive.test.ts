import { describe, expect, it } from 'vitest';
import { KeepaliveCheck } from '../../src/providers/zomro/keepalive.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';

/** A keepalive whose answers the test gives, one per ask, in order. */
function asking() {
  const asks: Array<{ session: string; scope: UpstreamScope; answer: (live: boolean) => void; fail: (error: Error) => void }> = [];
  const check = new KeepaliveCheck(
    (session, scope) =>
      new Promise<boolean>((answer, fail) => {
        asks.push({ session, scope, answer, fail });
      }),
  );
  return { check, asks };
}

const scope: UpstreamScope = { requestId: 'r1' };

describe('a Zomro keepalive after an access refusal', () => {
  it('is asked once for refusals of one session that come back at once, and all of them hear its answer', async () => {
    const { check, asks } = asking();
    const answers = [check.alive('s1', scope), check.alive('s1', { requestId: 'r2' }), check.alive('s1', scope)];
    expect(asks.map((ask) => ask.session)).toEqual(['s1']);
    asks[0]!.answer(true);
    expect(await Promise.all(answers)).toEqual([true, true, true]);
  });

  it('is asked for each session on its own: one session’s answer is not another’s', async () => {
    const { check, asks } = asking();
    const first = check.alive('s1', scope);
    const second = check.alive('s2', scope);
    expect(asks.map((ask) => ask.session)).toEqual(['s1', 's2']);
    asks[0]!.answer(true);
    asks[1]!.answer(false);
    expect([await first, await second]).toEqual([true, false]);
  });

  it('is asked again by a later refusal, after the first answer or failure: the session may have died since', async () => {
    const { check, asks } = asking();
    const first = check.alive('s1', scope);
    asks[0]!.answer(true);
    expect(await first).toBe(true);
    const second = check.alive('s1', scope);
    expect(asks).toHaveLength(2);
    asks[1]!.fail(new Error('no answer'));
    await expect(second).rejects.toThrow('no answer');
    const third = check.alive('s1', scope);
    expect(asks).toHaveLength(3);
    asks[2]!.answer(false);
    expect(await third).toBe(false);
  });

  it('shares a failure with every refusal waiting on it', async () => {
    const { check, asks } = asking();
    const answers = [check.alive('s1', scope), check.alive('s1', scope)];
    asks[0]!.fail(new Error('no answer'));
    for (const answer of answers) await expect(answer).rejects.toThrow('no answer');
  });

  it('is asked without the first request’s abort signal: that client leaving must not fail the others’ check', () => {
    const { check, asks } = asking();
    const leaving = new AbortController();
    void check.alive('s1', { requestId: 'r1', signal: leaving.signal });
    expect(asks[0]!.scope.signal).toBeUndefined();
    expect(asks[0]!.scope.requestId).toBe('r1');
  });
});
