import { describe, expect, it } from 'vitest';
import { StoreTimeout, withinMsTelling } from '../../src/state/bounded-call.js';

/** The stores whose failures are counted and logged read through withinMsTelling: each failure told once, none thrown. */
describe('withinMsTelling', () => {
  it('answers what the store answered, telling nothing', async () => {
    const told: unknown[] = [];
    expect(await withinMsTelling(Promise.resolve(7), 50, (error) => told.push(error))).toBe(7);
    expect(told).toEqual([]);
  });

  it('answers undefined for a failure, telling it as it was', async () => {
    const told: unknown[] = [];
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(await withinMsTelling(Promise.reject(refused), 50, (error) => told.push(error))).toBeUndefined();
    expect(told).toEqual([refused]);
  });

  it('answers undefined at the wait, telling a StoreTimeout, and nothing more when the call fails later', async () => {
    const told: unknown[] = [];
    let fail: (error: Error) => void = () => {};
    const late = new Promise<number>((_resolve, reject) => {
      fail = reject;
    });
    expect(await withinMsTelling(late, 20, (error) => told.push(error))).toBeUndefined();
    fail(new Error('Connection is closed.'));
    await late.catch(() => undefined);
    expect(told).toHaveLength(1);
    expect(told[0]).toBeInstanceOf(StoreTimeout);
  });
});
