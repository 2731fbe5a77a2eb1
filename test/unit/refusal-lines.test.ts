import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REFUSAL_LINE_PERIOD_MS, RefusalLines } from '../../src/server/refusal-lines.js';

/**
 * Refusals a client brings about at will (another origin, a WebSocket cap reached) write at most
 * one line per address and kind per period, saying how many were left out since: a client sending
 * them as fast as it could would otherwise write the log as fast.
 */
function logged() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { lines, refusals: new RefusalLines(logger) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('RefusalLines: one line per address and kind per period', () => {
  it('writes the first refusal with its fields at its level, leaves out the rest of the period, then says how many it left out', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-04T10:00:00Z'));
    const { lines, refusals } = logged();
    refusals.warn('192.0.2.1', { cap: 'maxWsConnectionsPerAddress' }, 'WebSocket connection refused');
    refusals.warn('192.0.2.1', { cap: 'maxWsConnectionsPerAddress' }, 'WebSocket connection refused');
    refusals.warn('192.0.2.1', { cap: 'maxWsConnectionsPerAddress' }, 'WebSocket connection refused');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, msg: 'WebSocket connection refused', cap: 'maxWsConnectionsPerAddress', alsoRefusedSinceLastLine: 0 });
    vi.setSystemTime(Date.now() + REFUSAL_LINE_PERIOD_MS);
    refusals.warn('192.0.2.1', { cap: 'maxWsConnectionsPerAddress' }, 'WebSocket connection refused');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ level: 40, alsoRefusedSinceLastLine: 2 });
  });

  it('keeps a line each for another address and for another kind of refusal, info apart from warn', () => {
    const { lines, refusals } = logged();
    refusals.info('192.0.2.1', { origin: 'https://evil.example' }, 'request from another origin refused');
    refusals.info('192.0.2.2', { origin: 'https://evil.example' }, 'request from another origin refused');
    refusals.info('192.0.2.1', {}, 'operation name not allowed');
    refusals.info('192.0.2.1', {}, 'operation name not allowed');
    expect(lines.map((line) => [line.level, line.msg, line.origin])).toEqual([
      [30, 'request from another origin refused', 'https://evil.example'],
      [30, 'request from another origin refused', 'https://evil.example'],
      [30, 'operation name not allowed', undefined],
    ]);
  });

  it('counts an IPv6 /64 as one address, written in any spelling; another /64 keeps its own line', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T10:00:00Z'));
    const { lines, refusals } = logged();
    // A host holding a /64 takes a fresh address per request: one line, the rest counted.
    for (let host = 1; host <= 5; host++) refusals.info(`2001:db8:1:2::${host.toString(16)}`, { host: 'evil.example' }, 'request refused: a name not allowed');
    refusals.info('2001:0db8:0001:0002:ffff:0:0:1', { host: 'evil.example' }, 'request refused: a name not allowed');
    refusals.info('2001:db8:1:3::1', { host: 'evil.example' }, 'request refused: a name not allowed');
    expect(lines).toHaveLength(2);
    vi.setSystemTime(Date.now() + REFUSAL_LINE_PERIOD_MS);
    refusals.info('2001:db8:1:2::99', { host: 'evil.example' }, 'request refused: a name not allowed');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatchObject({ alsoRefusedSinceLastLine: 5 });
  });
});
