import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { boundedOutput } from '../../src/observability/bounded-stdout.js';

/** A stream whose reader takes nothing until release(): what a stuck pipe looks like to Node. */
function stuckReader() {
  const held: Array<() => void> = [];
  const taken: string[] = [];
  const stream = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _encoding, callback) {
      taken.push(chunk.toString());
      held.push(callback);
    },
  });
  const release = () => {
    for (const callback of held.splice(0)) callback();
  };
  return { stream, taken, release };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('bounded standard output', () => {
  it('queues lines up to the bound, drops and counts past it, and reports the drop once lines are taken again', async () => {
    const { stream, taken, release } = stuckReader();
    const reports: number[] = [];
    const output = boundedOutput(stream, 30, (dropped) => reports.push(dropped));
    for (const line of ['line 1\n', 'line 2\n', 'line 3\n', 'line 4\n', 'line 5\n', 'line 6\n']) output.write(line);
    // 7 bytes a line: four fit in 30 bytes, the fifth and sixth do not.
    expect(output.droppedTotal()).toBe(2);
    await nextTurn();
    expect(reports).toEqual([]);
    while (stream.writableLength > 0) {
      release();
      await nextTurn();
    }
    output.write('line 7\n');
    await nextTurn();
    expect(reports).toEqual([2]);
    release();
    expect(taken.join('')).toBe('line 1\nline 2\nline 3\nline 4\nline 7\n');
    expect(output.droppedTotal()).toBe(2);
  });

  it('flushed() resolves once the queue is handed over, or after its wait when the reader never reads', async () => {
    const { stream, release } = stuckReader();
    const output = boundedOutput(stream, 1024, () => {});
    await output.flushed(10_000);
    output.write('queued\n');
    output.write('queued too\n');
    const started = performance.now();
    await output.flushed(50);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(stream.writableLength).toBeGreaterThan(0);
    const drained = output.flushed(10_000);
    release();
    await nextTurn();
    release();
    await drained;
    expect(stream.writableLength).toBe(0);
  });

  it('flushed() resolves once a queue below the stream\'s high-water mark is taken, not after its whole wait (no drain comes)', async () => {
    const held: Array<() => void> = [];
    const stream = new Writable({
      // stdout's own mark: a few log lines stay below it, so their write never asks for a 'drain'.
      highWaterMark: 16 * 1024,
      write(_chunk, _encoding, callback) {
        held.push(callback);
      },
    });
    const output = boundedOutput(stream, 1024 * 1024, () => {});
    output.write('a line the reader takes a moment later\n');
    output.write('and another\n');
    expect(stream.writableLength).toBeGreaterThan(0);
    setTimeout(() => {
      for (const callback of held.splice(0)) callback();
      setImmediate(() => {
        for (const callback of held.splice(0)) callback();
      });
    }, 20);
    // A wait far longer than the look it needs: an answer before a hang bound is the look's, not the wait's end.
    const hangBound = new Promise<'still waiting after 5 s'>((resolve) => setTimeout(() => resolve('still waiting after 5 s'), 5_000));
    expect(await Promise.race([output.flushed(60_000), hangBound]), 'flushed() waited for its whole wait: no look found the queue taken').toBeUndefined();
    expect(stream.writableLength).toBe(0);
  });

  it('a reader gone (EPIPE) costs the lines from then on, and no exception', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const output = boundedOutput(stream, 1024, () => {});
    output.write('first\n');
    await nextTurn();
    output.write('after the reader left\n');
    await output.flushed(10_000);
    // Counted, so backup_graph_log_lines_dropped_total shows lines going nowhere.
    expect(output.droppedTotal()).toBe(1);
  });
});
