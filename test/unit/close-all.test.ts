import { describe, expect, it } from 'vitest';
import { closeAll, closeRedis } from '../../src/state/close-redis.js';

describe('closeAll: closing the store and the bus side by side at shutdown', () => {
  it('waits for every close, including those after a failed one', async () => {
    let lateClosed = false;
    const late = new Promise<void>((resolve) => setImmediate(() => ((lateClosed = true), resolve())));
    await expect(closeAll([Promise.reject(new Error('store: no answer')), late])).rejects.toThrow('store: no answer');
    expect(lateClosed).toBe(true);
  });

  it('names every failure in one error, and resolves when none failed (an absent bus included)', async () => {
    await expect(closeAll([Promise.reject(new Error('bus: no answer')), Promise.reject(new Error('store: no answer'))])).rejects.toThrow('bus: no answer; store: no answer');
    await expect(closeAll([Promise.reject('plain words')])).rejects.toThrow('plain words');
    await expect(closeAll([undefined, Promise.resolve()])).resolves.toBeUndefined();
  });
});

describe('closeRedis: one connection at shutdown', () => {
  /** A connection in `status` whose QUIT ends as `quit` says, recording what was asked of it. */
  const connection = (status: string, quit: () => Promise<unknown>) => {
    const asked: string[] = [];
    return {
      asked,
      status,
      quit: () => (asked.push('quit'), quit()),
      disconnect: () => void asked.push('disconnect'),
    };
  };

  it('sends QUIT to a connection that is up, and leaves it at that when Redis answers', async () => {
    const up = connection('ready', () => Promise.resolve('OK'));
    await closeRedis(up, 'shared state', Date.now() + 5_000);
    expect(up.asked).toEqual(['quit']);
  });

  it('drops a connection whose QUIT is not answered, and says so without hiding why', async () => {
    const closed = connection('ready', () => Promise.reject(new Error('Connection is closed.')));
    await expect(closeRedis(closed, 'shared state', Date.now() + 5_000)).rejects.toThrow(
      'Redis (shared state) did not answer QUIT: Connection is closed.; the connection was dropped, and writes it had not acknowledged may be lost',
    );
    expect(closed.asked).toEqual(['quit', 'disconnect']);
    await expect(closeRedis(connection('ready', () => Promise.reject('odd')), 'bus', Date.now() + 5_000)).rejects.toThrow('Redis (bus) did not answer QUIT: no answer;');
  });

  it("says a QUIT ioredis's own commandTimeout gave up on went unanswered within the wait it was given, as when the wait ends first", async () => {
    // On a loaded machine ioredis's timer, due after the wait's, ran first (redis-late-loop-quit.test.ts).
    const stalled = connection('ready', () => Promise.reject(new Error('Command timed out')));
    await expect(closeRedis(stalled, 'shared state', Date.now() + 4_000)).rejects.toThrow(/^Redis \(shared state\) did not answer QUIT: no answer within (3\d{3}|4000) ms; the connection was dropped/);
    expect(stalled.asked).toEqual(['quit', 'disconnect']);
  });

  it('gives QUIT what is left of the deadline, and at least a second however late it starts', async () => {
    const never = () => new Promise<never>(() => {});
    const started = performance.now();
    const late = connection('ready', never);
    await expect(closeRedis(late, 'shared state', Date.now() - 60_000)).rejects.toThrow('Redis (shared state) did not answer QUIT: no answer within 1000 ms;');
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(late.asked).toEqual(['quit', 'disconnect']);
    const soon = connection('ready', never);
    await expect(closeRedis(soon, 'bus', Date.now() + 1_500)).rejects.toThrow(/no answer within 1[45]\d\d ms/);
  });

  it('drops a connection that is not up without waiting for a QUIT that could only time out', async () => {
    for (const status of ['reconnecting', 'connecting', 'wait', 'end']) {
      const down = connection(status, () => new Promise(() => {}));
      await closeRedis(down, 'shared state', Date.now() + 5_000);
      expect(down.asked).toEqual(['disconnect']);
    }
  });
});
