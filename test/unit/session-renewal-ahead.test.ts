import { describe, expect, it } from 'vitest';
import { sessionLifetimeMs } from '../../src/providers/zstack/session-lifetime.js';
import { tokenLifetimeMs } from '../../src/providers/danube/token-lifetime.js';
import { zstackDate } from '../../src/providers/zstack/simulator.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';
import { RENEWAL_RETRY_MS, SharedSession, refusedLogin, renewalMarginMs } from '../../src/upstream/session.js';

const scope = (): UpstreamScope => ({ requestId: 'r' });

describe('SharedSession renewed ahead of the end its login reported', () => {
  it('keeps the session until the margin, then logs in once for every caller past it', async () => {
    let now = 0;
    let logins = 0;
    const session = new SharedSession(() => Promise.resolve({ token: `session-${++logins}`, lifetimeMs: 100_000 }), () => now);
    expect(await session.token(scope())).toBe('session-1');
    now = 100_000 - renewalMarginMs(100_000) - 1;
    expect(await session.token(scope())).toBe('session-1');
    now += 1;
    const renewed = await Promise.all([session.token(scope()), session.token(scope()), session.token(scope())]);
    expect(renewed).toEqual(['session-2', 'session-2', 'session-2']);
    expect(logins).toBe(2);
  });

  it('moves the renewal on with each call answered where calls extend the session, and not otherwise', async () => {
    let now = 0;
    let logins = 0;
    const make = (extending: boolean): SharedSession => {
      const session = new SharedSession(() => Promise.resolve({ token: `session-${++logins}`, lifetimeMs: 100_000 }), () => now);
      session.callsExtendSession = extending;
      return session;
    };
    for (const extending of [true, false]) {
      now = 0;
      logins = 0;
      const session = make(extending);
      for (let step = 0; step < 3; step++) {
        await session.run(() => Promise.resolve('answered'), () => false, scope());
        await new Promise((resolve) => setImmediate(resolve));
        now += 50_000;
      }
      await session.token(scope());
      expect(logins).toBe(extending ? 1 : 2);
    }
  });

  it('a margin of a tenth of the lifetime, at most a minute', () => {
    expect(renewalMarginMs(60_000)).toBe(6_000);
    expect(renewalMarginMs(7_200_000)).toBe(60_000);
  });
});

describe('the lifetime a login reports', () => {
  it('ZStack: expiredDate less createDate, both on the node clock', () => {
    const created = new Date(Date.UTC(2026, 0, 1, 11, 30, 0));
    expect(sessionLifetimeMs({ createDate: zstackDate(created), expiredDate: zstackDate(new Date(created.getTime() + 7_200_000)) })).toBe(7_200_000);
    expect(sessionLifetimeMs({ createDate: zstackDate(created, 'java20'), expiredDate: zstackDate(new Date(created.getTime() + 60_000), 'java20') })).toBe(60_000);
    expect(sessionLifetimeMs({ expiredDate: zstackDate(created) })).toBeNull();
    expect(sessionLifetimeMs({ createDate: zstackDate(created), expiredDate: zstackDate(created) })).toBeNull();
    expect(sessionLifetimeMs(null)).toBeNull();
  });

  it('Danube: expires less the answer\'s Date (the server clock), else the gateway clock', () => {
    const at = Date.UTC(2026, 0, 1, 11, 30, 0);
    const expires = new Date(at + 3_600_000).toISOString();
    expect(tokenLifetimeMs(expires, new Date(at).toUTCString(), at - 600_000)).toBe(3_600_000);
    expect(tokenLifetimeMs(expires, undefined, at)).toBe(3_600_000);
    expect(tokenLifetimeMs(expires, 'not a date', at)).toBe(3_600_000);
    expect(tokenLifetimeMs('soon', undefined, at)).toBeNull();
    expect(tokenLifetimeMs(expires, undefined, at + 3_600_000)).toBeNull();
    expect(tokenLifetimeMs(new Date(at + 400 * 86_400_000).toISOString(), undefined, at)).toBeNull();
    expect(tokenLifetimeMs(42, undefined, at)).toBeNull();
  });
});

describe('a renewal ahead of the end that fails', () => {
  const failing = (): Error => new Error('connect ECONNREFUSED');

  it('keeps the session in use until its end, trying the login again every RENEWAL_RETRY_MS', async () => {
    let now = 0;
    const outcomes: Array<'ok' | 'fail'> = ['ok', 'fail', 'fail', 'ok'];
    let logins = 0;
    const session = new SharedSession(() => {
      logins++;
      return outcomes.shift() === 'ok' ? Promise.resolve({ token: `session-${logins}`, lifetimeMs: 100_000 }) : Promise.reject(failing());
    }, () => now);
    expect(await session.token(scope())).toBe('session-1');
    now = 100_000 - renewalMarginMs(100_000);
    // The early login fails in transit: the old session, still alive for the margin, answers.
    expect(await session.token(scope())).toBe('session-1');
    expect(logins).toBe(2);
    // Not tried again before RENEWAL_RETRY_MS.
    now += RENEWAL_RETRY_MS - 1;
    expect(await session.token(scope())).toBe('session-1');
    expect(logins).toBe(2);
    now += 1;
    expect(await session.token(scope())).toBe('session-1');
    expect(logins).toBe(3);
    now += RENEWAL_RETRY_MS;
    expect(await session.token(scope())).toBe('session-4');
    expect(logins).toBe(4);
  });

  it('past the end the login reported, the failure is the answer', async () => {
    let now = 0;
    let logins = 0;
    const session = new SharedSession(() => (++logins === 1 ? Promise.resolve({ token: 'session-1', lifetimeMs: 100_000 }) : Promise.reject(failing())), () => now);
    await session.token(scope());
    now = 100_000;
    await expect(session.token(scope())).rejects.toThrow('ECONNREFUSED');
  });

  it('a login the provider refuses (the credentials changed) is not covered by the old session', async () => {
    let now = 0;
    let logins = 0;
    const session = new SharedSession(() => (++logins === 1 ? Promise.resolve({ token: 'session-1', lifetimeMs: 100_000 }) : Promise.reject(refusedLogin(new Error('wrong password')))), () => now);
    await session.token(scope());
    now = 100_000 - renewalMarginMs(100_000);
    await expect(session.token(scope())).rejects.toThrow('wrong password');
  });
});
