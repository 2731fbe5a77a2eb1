import { describe, expect, it } from 'vitest';
import { startGcMeter } from '../../bench/gc-meter.js';

// The bench's "of which GC pauses" rows come from this meter: it must see the collections a workload causes, by kind.
describe('bench GC meter', () => {
  it('counts the young-generation collections that short-lived garbage causes, with their pause time', async () => {
    const soFar = startGcMeter();
    const before = soFar();
    let keep = 0;
    // ~200 MB of objects that die at once: many scavenges whatever the young generation's size.
    for (let round = 0; round < 2_000; round++) {
      const garbage = Array.from({ length: 1_000 }, (_, index) => ({ index, text: `item ${index}` }));
      keep += garbage.length;
    }
    // The observer is told of collections asynchronously.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = soFar();
    expect(keep).toBe(2_000_000);
    expect(after.minorCount - before.minorCount).toBeGreaterThan(5);
    expect(after.minorMs - before.minorMs).toBeGreaterThan(0);
  });

  it('counts a full collection as major, not minor', async () => {
    const soFar = startGcMeter();
    const { Session } = await import('node:inspector/promises');
    const session = new Session();
    session.connect();
    const before = soFar();
    // A full collection without --expose-gc: the heap profiler's own.
    await session.post('HeapProfiler.collectGarbage');
    session.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = soFar();
    expect(after.majorCount - before.majorCount).toBeGreaterThanOrEqual(1);
    expect(after.majorMs - before.majorMs).toBeGreaterThan(0);
  });

  it('hands out a copy: a reading does not change as collections go on', async () => {
    const soFar = startGcMeter();
    const first = soFar();
    const snapshot = { ...first };
    for (let round = 0; round < 500; round++) Array.from({ length: 1_000 }, (_, index) => ({ index }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first).toEqual(snapshot);
  });
});
