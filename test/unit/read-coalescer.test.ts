import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { UpstreamRequest, UpstreamResponse } from '../../src/upstream/client.js';
import { ReadCoalescer, sharedAnswerGuard } from '../../src/upstream/read-coalescer.js';

class Cancelled extends Error {}

/** An upstream whose answers the test hands out one by one. */
function upstream() {
  const calls: Array<{ request: UpstreamRequest; answer: (body: unknown) => void; fail: (error: Error) => void }> = [];
  const joined: string[] = [];
  let cancellations = 0;
  const coalescer = new ReadCoalescer(
    (request) =>
      new Promise<UpstreamResponse>((resolve, reject) => {
        calls.push({ request, answer: (body) => resolve({ status: 200, headers: {}, body, bytes: 0 }), fail: reject });
      }),
    () => {
      cancellations += 1;
      return new Cancelled('left');
    },
    (request) => joined.push(request.operation),
  );
  return { coalescer, calls, joined, cancellations: () => cancellations };
}

const read = (overrides: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
  method: 'GET',
  path: '/vms',
  operation: 'vms.list',
  scope: { requestId: 'r1' },
  ...overrides,
});

const settled = <T>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));

afterEach(() => {
  sharedAnswerGuard.freeze = false;
});

describe('ReadCoalescer (identical reads in flight share one upstream request)', () => {
  it('does not freeze answers unless a test asks (freezing every answer costs CPU)', () => {
    expect(sharedAnswerGuard.freeze).toBe(false);
  });

  it('sends identical reads once and hands every waiter the same answer; only the ones that joined are counted', async () => {
    const { coalescer, calls, joined } = upstream();
    const first = coalescer.read(read({ scope: { requestId: 'r1' } }));
    const second = coalescer.read(read({ scope: { requestId: 'r2' } }));
    const third = coalescer.read(read({ scope: { requestId: 'r3' } }));
    expect(calls).toHaveLength(1);
    expect(joined).toEqual(['vms.list', 'vms.list']);
    calls[0]?.answer({ vms: [1] });
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a.body).toEqual({ vms: [1] });
  });

  it('runs the flight under its own scope: the first request id, and a signal no waiter owns', async () => {
    const { coalescer, calls } = upstream();
    const controller = new AbortController();
    void coalescer.read(read({ scope: { requestId: 'first', signal: controller.signal } }));
    const sent = calls[0]?.request;
    expect(sent?.scope.requestId).toBe('first');
    expect(sent?.scope.signal).toBeDefined();
    expect(sent?.scope.signal).not.toBe(controller.signal);
    expect(sent?.scope.signal?.aborted).toBe(false);
    expect(sent?.path).toBe('/vms');
  });

  it.each<[string, Partial<UpstreamRequest>]>([
    ['method', { method: 'POST' }],
    ['path', { path: '/vms/2' }],
    ['query', { query: { page: 2 } }],
    ['headers (credentials)', { headers: { authorization: 'Bearer other' } }],
    ['body', { method: 'POST', body: 'func=vm&elid=2' }],
  ])('keeps reads that differ in their %s apart', async (_part, difference) => {
    const { coalescer, calls, joined } = upstream();
    const base: Partial<UpstreamRequest> = difference.body === undefined ? {} : { method: 'POST', body: 'func=vm&elid=1' };
    void coalescer.read(read(base));
    void coalescer.read(read({ ...base, ...difference }));
    expect(calls).toHaveLength(2);
    expect(joined).toEqual([]);
  });

  it('starts a new request for a read after the flight has landed', async () => {
    const { coalescer, calls } = upstream();
    const first = coalescer.read(read());
    calls[0]?.answer('one');
    await first;
    const again = coalescer.read(read());
    expect(calls).toHaveLength(2);
    calls[1]?.answer('two');
    expect((await again).body).toBe('two');
  });

  it('fails only the waiters of a failed flight, and the next read asks again', async () => {
    const { coalescer, calls } = upstream();
    const waiters = [coalescer.read(read()), coalescer.read(read())];
    calls[0]?.fail(new Error('provider down'));
    for (const outcome of await Promise.all(waiters.map(settled))) expect(outcome).toEqual({ error: new Error('provider down') });
    const next = coalescer.read(read());
    expect(calls).toHaveLength(2);
    calls[1]?.answer('back');
    expect((await next).body).toBe('back');
  });

  it('lets one waiter leave without cancelling the others; the last one out stops the flight', async () => {
    const { coalescer, calls, cancellations } = upstream();
    const leaving = new AbortController();
    const staying = new AbortController();
    const left = coalescer.read(read({ scope: { requestId: 'a', signal: leaving.signal } }));
    const stays = coalescer.read(read({ scope: { requestId: 'b', signal: staying.signal } }));
    const flightSignal = calls[0]?.request.scope.signal;
    leaving.abort();
    expect(await settled(left)).toEqual({ error: new Cancelled('left') });
    expect(flightSignal?.aborted).toBe(false);
    calls[0]?.answer('kept');
    expect((await stays).body).toBe('kept');
    // After its answer, a waiter's signal is let go: aborting it now changes nothing.
    staying.abort();
    expect(cancellations()).toBe(1);

    const alone = new AbortController();
    const lonely = coalescer.read(read({ scope: { requestId: 'c', signal: alone.signal } }));
    const secondFlight = calls[1]?.request.scope.signal;
    alone.abort();
    expect(await settled(lonely)).toEqual({ error: new Cancelled('left') });
    expect(secondFlight?.aborted).toBe(true);
    expect(secondFlight?.reason).toBeInstanceOf(Cancelled);
    // The stopped flight is gone: a new read does not join it.
    void coalescer.read(read());
    expect(calls).toHaveLength(3);
    // The stopped flight landing late leaves the new one in place: the next read joins it.
    calls[1]?.fail(new Cancelled('stopped'));
    // One macrotask turn: every promise reaction of that landing has run.
    await new Promise((resolve) => setImmediate(resolve));
    void coalescer.read(read());
    expect(calls).toHaveLength(3);
  });

  it('hands a failure to a waiter that could have left, and lets go of its signal', async () => {
    const { coalescer, calls } = upstream();
    const request = new AbortController();
    const waiting = coalescer.read(read({ scope: { requestId: 'w', signal: request.signal } }));
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(1);
    calls[0]?.fail(new Error('provider down'));
    expect(await settled(waiting)).toEqual({ error: new Error('provider down') });
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it('refuses a waiter whose request has already ended, and stops a flight it alone wanted', async () => {
    const { coalescer, calls } = upstream();
    const ended = new AbortController();
    ended.abort();
    const outcome = await settled(coalescer.read(read({ scope: { requestId: 'gone', signal: ended.signal } })));
    expect(outcome).toEqual({ error: new Cancelled('left') });
    expect(calls[0]?.request.scope.signal?.aborted).toBe(true);
    void coalescer.read(read());
    expect(calls).toHaveLength(2);
  });

  it('leaves no unhandled rejection when a flight whose only waiter had already ended fails', async () => {
    const { coalescer, calls } = upstream();
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      const ended = new AbortController();
      ended.abort();
      const outcome = await settled(coalescer.read(read({ scope: { requestId: 'gone', signal: ended.signal } })));
      expect(outcome).toEqual({ error: new Cancelled('left') });
      // The upstream call stops as the aborted flight's would: it fails.
      calls[0]?.fail(new Cancelled('stopped'));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', note);
    }
  });

  it('never lets a read that starts during or after a write join a flight from before it', async () => {
    const { coalescer, calls } = upstream();
    void coalescer.read(read());
    let finishWrite: (value: string) => void = () => {};
    const write = coalescer.write(() => new Promise<string>((resolve) => (finishWrite = resolve)));
    void coalescer.read(read());
    expect(calls).toHaveLength(2);
    finishWrite('written');
    expect(await write).toBe('written');
    void coalescer.read(read());
    expect(calls).toHaveLength(3);
    // Reads after the write share a flight again.
    void coalescer.read(read());
    expect(calls).toHaveLength(3);
  });

  it('moves the write generation on even when the write fails', async () => {
    const { coalescer, calls } = upstream();
    void coalescer.read(read());
    await expect(coalescer.write(() => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    void coalescer.read(read());
    expect(calls).toHaveLength(2);
  });

  it('after forgetFlights (an operation seen finished), a read starts its own flight, and the older one still answers its waiters', async () => {
    const { coalescer, calls } = upstream();
    const before = coalescer.read(read());
    coalescer.forgetFlights();
    const after = coalescer.read(read());
    expect(calls).toHaveLength(2);
    calls[0]?.answer({ vms: ['creating'] });
    calls[1]?.answer({ vms: ['ready'] });
    expect((await before).body).toEqual({ vms: ['creating'] });
    expect((await after).body).toEqual({ vms: ['ready'] });
    // Reads after it share a flight again.
    void coalescer.read(read());
    void coalescer.read(read());
    expect(calls).toHaveLength(3);
  });

  it('after a write and then forgetFlights, a read does not join a flight that started during the write', async () => {
    const { coalescer, calls } = upstream();
    let finishWrite: (value: string) => void = () => {};
    const write = coalescer.write(() => new Promise<string>((resolve) => (finishWrite = resolve)));
    void coalescer.read(read());
    finishWrite('written');
    await write;
    coalescer.forgetFlights();
    void coalescer.read(read());
    expect(calls).toHaveLength(2);
  });

  it('coalesces the methods reads are sent with, GET and form POST, and nothing else', () => {
    expect(ReadCoalescer.coalescible(read({ method: 'GET' }))).toBe(true);
    expect(ReadCoalescer.coalescible(read({ method: 'POST' }))).toBe(true);
    expect(ReadCoalescer.coalescible(read({ method: 'PUT' }))).toBe(false);
    expect(ReadCoalescer.coalescible(read({ method: 'DELETE' }))).toBe(false);
  });

  it('deep-freezes the shared answer when tests ask, and leaves it as it is otherwise', async () => {
    const { coalescer, calls } = upstream();
    sharedAnswerGuard.freeze = true;
    const frozen = coalescer.read(read());
    calls[0]?.answer({ vms: [{ id: 1, disks: [{ id: 'd' }] }] });
    const answer = await frozen;
    const body = answer.body as { vms: Array<{ disks: object[] }> };
    expect(Object.isFrozen(answer)).toBe(true);
    expect(Object.isFrozen(body.vms[0]?.disks[0])).toBe(true);

    sharedAnswerGuard.freeze = false;
    const plain = coalescer.read(read());
    calls[1]?.answer({ vms: [] });
    expect(Object.isFrozen((await plain).body)).toBe(false);
  });
});
