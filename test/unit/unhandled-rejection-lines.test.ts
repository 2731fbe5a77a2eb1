import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchProcessFaults } from '../../src/server/process-faults.js';
import type { UnhandledErrorKind } from '../../src/observability/metrics.js';

/**
 * A client able to cause an unhandled rejection on every request wrote a log line of up to some
 * 5 KB per request. The lines are throttled by error name; the metric counts every rejection.
 * The rejections are emitted in-process with vitest's own listeners set aside (they would fail the
 * run), and the listeners watchProcessFaults adds are removed after.
 */
let listenersBefore: { rejection: NodeJS.UnhandledRejectionListener[]; exception: NodeJS.UncaughtExceptionListener[] };

beforeEach(() => {
  listenersBefore = { rejection: process.listeners('unhandledRejection'), exception: process.listeners('uncaughtException') };
  process.removeAllListeners('unhandledRejection');
});

afterEach(() => {
  process.removeAllListeners('unhandledRejection');
  for (const listener of listenersBefore.rejection) process.on('unhandledRejection', listener);
  for (const listener of process.listeners('uncaughtException')) {
    if (!listenersBefore.exception.includes(listener)) process.off('uncaughtException', listener);
  }
});

function watched(): { lines: Array<Record<string, unknown>>; counted: UnhandledErrorKind[] } {
  const lines: Array<Record<string, unknown>> = [];
  const counted: UnhandledErrorKind[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, pino.multistream([{ stream, level: 'info' }], { dedupe: false }));
  watchProcessFaults({ logger, record: { scrub: (text) => text, count: (kind) => counted.push(kind) }, drainAfterFault: () => {} });
  return { lines, counted };
}

const reject = (reason: unknown) => process.emit('unhandledRejection', reason, Promise.resolve());

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
