import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { providerError } from '../../src/domain/errors.js';
import { MissingResourceAnswer } from '../../src/providers/zstack/not-found.js';

/**
 * A write answered 404 with SYS.1003 keeps ZStack's body for the adapter to judge, and a read's
 * 404 is the same error: logged as `err` (a cache invalidation's list failing, a sweep), it must
 * say what any GatewayError says, not quote the provider's whole answer past the message's clip.
 */
describe('zstack: a missing-resource answer in a log line', () => {
  it("holds its code and message, and the body for the adapter, but writes no body", () => {
    const body = { error: { code: 'SYS.1003', description: 'gone', details: 'x'.repeat(50_000) } };
    const error = new MissingResourceAnswer(providerError('zstack-test', 'gone', 'SYS.1003'), body);
    expect(error.body).toBe(body);
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    pino({ base: null }, sink).warn({ err: error }, 'could not list instances');
    const line = JSON.parse(lines[0] ?? '{}') as { err?: Record<string, unknown> };
    expect(line.err?.message).toBe('gone');
    expect(line.err?.code).toBe(error.code);
    expect(Object.keys(line.err ?? {})).not.toContain('body');
    expect(lines[0]!.length).toBeLessThan(5_000);
  });
});
