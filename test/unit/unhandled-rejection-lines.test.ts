import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAULT_LINE_PERIOD_MS, watchProcessFaults } from '../../src/server/process-faults.js';
import type { UnhandledErrorKind } from '../../src/observability/metrics.js';

/**
 * A client able to cause an unhandled rejection on every request wrote a log line of up to some
 * 5 KB per request. The lines are throttled by error name; the metric counts every rejection.
 * The uncaught exceptions' lines likewise: each starts the drain, but the process serves on through
 * it, and a throw that recurs (an interval's) wrote a fatal line each time until the exit.
 * The faults are emitted in-process with vitest's own listeners set aside (they would fail the
 * run), and the listeners watchProcessFaults adds are removed after.
 */
let listenersBefore: { rejection: NodeJS.UnhandledRejectionListener[]; exception: NodeJS.UncaughtExceptionListener[] };

beforeEach(() => {
  listenersBefore = { rejection: process.listeners('unhandledRejection'), exception: process.listeners('uncaughtException') };
  process.removeAllListeners('unhandledRejection');
  process.removeAllListeners('uncaughtException');
});

afterEach(() => {
  process.removeAllListeners('unhandledRejection');
  for (const listener of listenersBefore.rejection) process.on('unhandledRejection', listener);
  process.removeAllListeners('uncaughtException');
  for (const listener of listenersBefore.exception) process.on('uncaughtException', listener);
  vi.useRealTimers();
});

function watched(): { lines: Array<Record<string, unknown>>; counted: UnhandledErrorKind[]; drains: () => number } {
  const lines: Array<Record<string, unknown>> = [];
  const counted: UnhandledErrorKind[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, pino.multistream([{ stream, level: 'info' }], { dedupe: false }));
  let drains = 0;
  watchProcessFaults({ logger, record: { scrub: (text) => text, count: (kind) => counted.push(kind) }, drainAfterFault: () => (drains += 1) });
  return { lines, counted, drains: () => drains };
}

const reject = (reason: unknown) => process.emit('unhandledRejection', reason, Promise.resolve());
const uncaught = (error: Error) => process.emit('uncaughtException', error);

describe('the unhandled-rejection lines', () => {
  it('a flood of one fault writes one line, every rejection counted', () => {
    const { lines, counted } = watched();
    for (let index = 0; index < 1_000; index += 1) reject(new TypeError(`fault on request ${index} ${'x'.repeat(4_000)}`));
    expect(counted).toHaveLength(1_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ kind: 'unhandled_rejection', errorName: 'TypeError', alsoRejectedSinceLastLine: 0 });
  });

  it('faults of other names each get their line', () => {
    const { lines, counted } = watched();
    for (let index = 0; index < 10; index += 1) {
      reject(new TypeError('a'));
      reject(new RangeError('b'));
      reject('a string reason');
    }
    expect(counted).toHaveLength(30);
    expect(lines.map((line) => line.errorName ?? line.msg)).toEqual(['TypeError', 'RangeError', expect.stringContaining('a string reason')]);
  });
});

describe('the uncaught-exception lines', () => {
  it('a throw recurring through the drain writes one fatal line a period, saying how many were left out; every one counted and handed to the drain', () => {
    vi.useFakeTimers();
    const { lines, counted, drains } = watched();
    for (let index = 0; index < 1_000; index += 1) uncaught(new TypeError(`an interval's throw ${index} ${'x'.repeat(4_000)}`));
    expect(counted).toHaveLength(1_000);
    expect(drains()).toBe(1_000);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, kind: 'uncaught_exception', errorName: 'TypeError', alsoThrownSinceLastLine: 0 });
    // Another name still gets its line at once: the first fault of each kind is never hidden behind another's.
    uncaught(new RangeError('another throw'));
    expect(lines.map((line) => line.errorName)).toEqual(['TypeError', 'RangeError']);
    vi.advanceTimersByTime(FAULT_LINE_PERIOD_MS);
    uncaught(new TypeError('after the period'));
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ errorName: 'TypeError', alsoThrownSinceLastLine: 999, msg: expect.stringContaining('after the period') });
  });
});
