import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { AttemptCancelled, AttemptSignal } from '../../src/upstream/deadline.js';
import { RequestStop } from '../../src/upstream/request-stop.js';

describe("a request's stop signal (RequestStop)", () => {
  it("stops an attempt made under it (an AttemptSignal, its own listener: a read that joins no flight), and an object's handleEvent is let go as a function is", () => {
    const stop = new RequestStop(undefined);
    const attempt = new AttemptSignal(30_000, stop.asAbortSignal());
    const heard: string[] = [];
    const gone = { handleEvent: () => heard.push('gone') };
    stop.addEventListener('abort', { handleEvent: () => heard.push('object') });
    stop.addEventListener('abort', gone);
    stop.removeEventListener('abort', gone);
    stop.stop('passed');
    attempt.dispose();
    expect(attempt.aborted).toBe(true);
    expect(attempt.reason).toBeInstanceOf(AttemptCancelled);
    expect(heard).toEqual(['object']);
  });

  it('fires once, with its reason, for each listener still there', () => {
    const stop = new RequestStop(undefined);
    const heard: string[] = [];
    const gone = () => heard.push('gone');
    stop.addEventListener('abort', () => heard.push('a'));
    stop.addEventListener('abort', gone);
    stop.removeEventListener('abort', gone);
    expect(stop.aborted).toBe(false);
    stop.stop('passed');
    stop.stop('again');
    expect(heard).toEqual(['a']);
    expect(stop.aborted).toBe(true);
    expect(stop.reason).toBe('passed');
  });

  it("fires when the client's signal does, and says so with no listener", () => {
    const client = new AbortController();
    const stop = new RequestStop(client.signal);
    const heard: string[] = [];
    stop.addEventListener('abort', () => heard.push('a'));
    client.abort('left');
    expect(heard).toEqual(['a']);
    expect(stop.aborted).toBe(true);
    expect(stop.reason).toBe('left');
    const quiet = new AbortController();
    const unheard = new RequestStop(quiet.signal);
    quiet.abort('left');
    expect(unheard.aborted).toBe(true);
    expect(unheard.reason).toBe('left');
  });

  it("listens to the client's signal only while something listens to it (a lifelong signal gathers no listener per request)", () => {
    const lifelong = new AbortController();
    for (let sweep = 0; sweep < 3; sweep += 1) {
      const stop = new RequestStop(lifelong.signal);
      const first = () => {};
      const second = () => {};
      stop.addEventListener('abort', first);
      stop.addEventListener('abort', second);
      expect(getEventListeners(lifelong.signal, 'abort')).toHaveLength(1);
      stop.removeEventListener('abort', first);
      stop.removeEventListener('abort', second);
      expect(getEventListeners(lifelong.signal, 'abort')).toHaveLength(0);
    }
    const stopped = new RequestStop(lifelong.signal);
    stopped.addEventListener('abort', () => {});
    stopped.stop('passed');
    expect(getEventListeners(lifelong.signal, 'abort')).toHaveLength(0);
  });
});

describe("the budget's signal", () => {
  it("fires when the answers pass their budget, a write's as a read's, with the refusal reads get", () => {
    for (const refuse of [true, false]) {
      const budget = new UpstreamBudget(10, 100);
      budget.receive(100, refuse);
      expect(budget.signal.aborted).toBe(false);
      expect(budget.answerBytesPassed).toBe(false);
      if (refuse) expect(() => budget.receive(1, refuse)).toThrow(budget.answerBytesRefusal());
      else budget.receive(1, refuse);
      expect(budget.signal.aborted).toBe(true);
      expect(budget.answerBytesPassed).toBe(true);
      expect(budget.signal.reason).toBe(budget.answerBytesRefusal());
      expect(budget.answerBytesRefusal()).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    }
  });
});
