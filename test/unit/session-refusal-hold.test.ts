import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { providerError } from '../../src/domain/errors.js';
import { createLogger } from '../../src/observability/logger.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { SharedSession, refusedLogin } from '../../src/upstream/session.js';

/** The account's `refusedLoginHeldMs`: how long a refused login is answered from memory. */
const refused = () => refusedLogin(providerError('p', "provider p refused the gateway's login", 'HTTP_401'));

describe("SharedSession: the account's refusedLoginHeldMs", () => {
  it('held 0, each request logs in again, and is told no time to wait', async () => {
    let attempts = 0;
    const error = refused();
    const session = new SharedSession(() => (++attempts <= 2 ? Promise.reject(error) : Promise.resolve('session-after')), () => 5_000, () => undefined, 0);
    await expect(session.token({ requestId: 'a' })).rejects.toBe(error);
    expect(session.refusalHeldMs()).toBe(0);
    await expect(session.token({ requestId: 'b' })).rejects.toBe(error);
    // Put right at the provider: the very next request logs in, on a clock that has not moved.
    expect(await session.token({ requestId: 'c' })).toBe('session-after');
    expect(attempts).toBe(3);
    expect(error.details.retryAfterSeconds).toBeUndefined();
  });

  it('held longer than the default (a panel locking a user after fewer failed logins), the refusal is answered that long', async () => {
    let now = 0;
    let attempts = 0;
    const session = new SharedSession(() => (++attempts === 1 ? Promise.reject(refused()) : Promise.resolve('session-after')), () => now, () => undefined, 120_000);
    await expect(session.token({ requestId: 'a' })).rejects.toMatchObject({ details: { retryAfterSeconds: 120 } });
    now += 90_000;
    await expect(session.token({ requestId: 'b' })).rejects.toMatchObject({ details: { retryAfterSeconds: 30 } });
    expect(attempts).toBe(1);
    now += 30_000;
    expect(await session.token({ requestId: 'c' })).toBe('session-after');
  });
});

describe("UpstreamClient.loginRefused: the operator's line", () => {
  const lines: Array<{ msg: string; retryAfterSeconds?: number; alsoRefusedSinceLastLine?: number }> = [];
  const account = (refusedLoginHeldMs: number): UpstreamClient => {
    lines.length = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as (typeof lines)[number]);
        done();
      },
    });
    return new UpstreamClient({ providerId: 'zstack-test', kind: 'zstack', baseUrl: 'http://127.0.0.1:9/', policy: { ...UPSTREAM_DEFAULTS, refusedLoginHeldMs }, logger: createLogger('warn', sink) });
  };

  it("held 0, says the login is tried at the next request, and writes one line per 30 s however many requests are refused", () => {
    const client = account(0);
    for (let n = 0; n < 5; n++) client.loginRefused();
    const refusals = lines.filter((line) => line.msg.includes("refused the gateway's login"));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ retryAfterSeconds: 0 });
    expect(refusals[0]?.msg).toMatch(/the login is tried again at the next request$/);
    expect(client.healthReport()).toEqual({ health: 'DEGRADED', cause: 'credentials' });
  });

  it('(guard) held the default 30 s, a line per refusal, saying when the login is tried again', () => {
    const client = account(UPSTREAM_DEFAULTS.refusedLoginHeldMs);
    client.loginRefused();
    client.loginRefused();
    const refusals = lines.filter((line) => line.msg.includes("refused the gateway's login"));
    expect(refusals).toHaveLength(2);
    expect(refusals[0]?.msg).toMatch(/the login is tried again in 30 s$/);
  });
});
