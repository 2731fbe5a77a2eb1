import { describe, expect, it } from 'vitest';
import { RequestMemo } from '../../src/upstream/request-memo.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';
import { SecretSet } from '../../src/upstream/secrets.js';
import { GatewayError, providerError } from '../../src/domain/errors.js';
import { REFUSED_LOGIN_HELD_MS, SharedSession, refusedLogin } from '../../src/upstream/session.js';

/** A promise the test settles. */
function deferred<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

/** One macrotask turn: every reaction of what has settled so far has run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedSession (one login per provider account, renewed when the provider says so)', () => {
  it('logs in once for every request that needs a session at the same time, with the first one id and no signal', async () => {
    const logins: UpstreamScope[] = [];
    const login = deferred<string>();
    const session = new SharedSession((scope) => {
      logins.push(scope);
      return login.promise;
    });
    const first = new AbortController();
    const tokens = [session.token({ requestId: 'a', signal: first.signal }), session.token({ requestId: 'b' })];
    login.resolve('session-1');
    expect(await Promise.all(tokens)).toEqual(['session-1', 'session-1']);
    expect(logins).toEqual([{ requestId: 'a', signal: undefined }]);
    // Later requests reuse it.
    expect(await session.token({ requestId: 'c' })).toBe('session-1');
    expect(logins).toHaveLength(1);
  });

  it('does not keep a failed login: the next request tries again', async () => {
    let attempts = 0;
    const session = new SharedSession(() => (++attempts === 1 ? Promise.reject(new Error('provider down')) : Promise.resolve('session-2')));
    await expect(session.token({ requestId: 'a' })).rejects.toThrow('provider down');
    await settle();
    expect(await session.token({ requestId: 'b' })).toBe('session-2');
    expect(attempts).toBe(2);
  });

  it('answers a login the provider refused from memory for REFUSED_LOGIN_HELD_MS, then tries again (panels lock a user after a few failed logins)', async () => {
    let now = 1_000_000;
    let attempts = 0;
    const refused = refusedLogin(providerError('p', "provider p refused the gateway's login", 'HTTP_401'));
    const session = new SharedSession(() => (++attempts <= 2 ? Promise.reject(refused) : Promise.resolve('session-after')), () => now);
    const told = (retryAfterSeconds: number) => ({ code: 'PROVIDER_ERROR', message: refused.message, details: { provider: 'p', providerCode: 'HTTP_401', retryAfterSeconds } });
    expect(session.refusalHeldMs()).toBe(0);
    await expect(session.token({ requestId: 'a' })).rejects.toMatchObject(told(30));
    expect(session.refusalHeldMs()).toBe(REFUSED_LOGIN_HELD_MS);
    for (const requestId of ['b', 'c', 'd']) await expect(session.token({ requestId })).rejects.toMatchObject(told(30));
    expect(attempts).toBe(1);
    // Each request is told the time left, rounded up to whole seconds.
    now += 10_500;
    await expect(session.token({ requestId: 'b2' })).rejects.toMatchObject(told(20));
    expect(session.refusalHeldMs()).toBe(REFUSED_LOGIN_HELD_MS - 10_500);
    now += REFUSED_LOGIN_HELD_MS - 10_500 - 1;
    await expect(session.token({ requestId: 'e' })).rejects.toMatchObject(told(1));
    expect(session.refusalHeldMs()).toBe(1);
    expect(attempts).toBe(1);
    // The marked error itself is never changed: each request gets its own copy.
    expect(refused.details.retryAfterSeconds).toBeUndefined();
    // Held over: one more try, refused again, held again from then.
    now += 1;
    expect(session.refusalHeldMs()).toBe(0);
    await expect(session.token({ requestId: 'f' })).rejects.toMatchObject(told(30));
    expect(attempts).toBe(2);
    await expect(session.token({ requestId: 'g' })).rejects.toMatchObject(told(30));
    expect(attempts).toBe(2);
    // Well past the hold, nothing is held (never a negative time left).
    now += REFUSED_LOGIN_HELD_MS + 5_000;
    expect(session.refusalHeldMs()).toBe(0);
    // Put right in the panel: the next try after the hold logs in, and nothing is held any more.
    expect(await session.token({ requestId: 'h' })).toBe('session-after');
    expect(attempts).toBe(3);
    expect(session.refusalHeldMs()).toBe(0);
  });

  it('tells a refused login that is not a GatewayError as it came, and does not hold a failure the login code did not mark', async () => {
    let now = 0;
    const odd = refusedLogin(new Error('refused, oddly'));
    let attempts = 0;
    const session = new SharedSession(() => (++attempts === 1 ? Promise.reject(odd) : Promise.reject(new Error('provider down'))), () => now);
    await expect(session.token({ requestId: 'a' })).rejects.toBe(odd);
    await expect(session.token({ requestId: 'b' })).rejects.toBe(odd);
    expect(session.refusalHeldMs()).toBe(REFUSED_LOGIN_HELD_MS);
    now += REFUSED_LOGIN_HELD_MS;
    await expect(session.token({ requestId: 'c' })).rejects.toThrow('provider down');
    expect(session.refusalHeldMs()).toBe(0);
    await expect(session.token({ requestId: 'd' })).rejects.toThrow('provider down');
    expect(attempts).toBe(3);
  });

  it('holds a refusal no longer than REFUSED_LOGIN_HELD_MS when the clock is set back meanwhile (NTP stepping an hour back)', async () => {
    let now = 1_000_000_000;
    let attempts = 0;
    const refused = refusedLogin(providerError('p', "provider p refused the gateway's login", 'HTTP_401'));
    const session = new SharedSession(() => (++attempts === 1 ? Promise.reject(refused) : Promise.resolve('session-after')), () => now);
    await expect(session.token({ requestId: 'a' })).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { retryAfterSeconds: 30 } });
    expect(session.refusalHeldMs()).toBe(REFUSED_LOGIN_HELD_MS);
    // The clock steps back an hour: the hold's end is now an hour and a half minute away by it.
    now -= 3_600_000;
    expect(session.refusalHeldMs()).toBe(0);
    expect(await session.token({ requestId: 'b' })).toBe('session-after');
    expect(attempts).toBe(2);
  });

  it('forgetIfFrom forgets a session whose login started no later than the refused send, and keeps a later one', async () => {
    let now = 5_000;
    let logins = 0;
    const session = new SharedSession(() => Promise.resolve(`session-${++logins}`), () => now);
    session.forgetIfFrom(new Date(now));
    expect(await session.token({ requestId: 'a' })).toBe('session-1');
    // A job sent before this login failed for its session: this login is not the one refused.
    session.forgetIfFrom(new Date(now - 1));
    expect(await session.token({ requestId: 'b' })).toBe('session-1');
    // Sent in the same millisecond as the login started, or later: that session is the one refused.
    session.forgetIfFrom(new Date(now));
    expect(await session.token({ requestId: 'c' })).toBe('session-2');
    now += 10;
    session.forgetIfFrom(new Date(now + 5));
    expect(await session.token({ requestId: 'd' })).toBe('session-3');
    expect(logins).toBe(3);
  });

  it('an older login failing late does not drop the newer session started meanwhile', async () => {
    const first = deferred<string>();
    const answers = [first.promise, Promise.resolve('session-new')];
    const session = new SharedSession(() => answers.shift() ?? Promise.reject(new Error('no more')), () => 0);
    const old = session.token({ requestId: 'a' });
    session.forgetIfFrom(new Date(0));
    expect(await session.token({ requestId: 'b' })).toBe('session-new');
    first.reject(new Error('provider down'));
    await expect(old).rejects.toThrow('provider down');
    await settle();
    expect(await session.token({ requestId: 'c' })).toBe('session-new');
  });

  it('invalidating a token keeps a session whose login started while it looked', async () => {
    let logins = 0;
    const session = new SharedSession(() => Promise.resolve(`session-${++logins}`), () => 0);
    const refused = await session.token({ requestId: 'a' });
    const invalidating = session.invalidate(refused);
    // Meanwhile another path (a job failed for its session) dropped it and a request logged in again.
    session.forgetIfFrom(new Date(0));
    const renewed = session.token({ requestId: 'b' });
    await invalidating;
    expect(await renewed).toBe('session-2');
    expect(await session.token({ requestId: 'c' })).toBe('session-2');
    expect(logins).toBe(2);
  });

  it('does not hold a login whose answer could not be read (a proxy page, a cut body: nothing said of the credentials)', async () => {
    for (const providerCode of ['INVALID_RESPONSE', 'RESPONSE_TOO_LARGE']) {
      let attempts = 0;
      const unreadable = new GatewayError('PROVIDER_ERROR', 'provider p sent an answer that is not JSON', { provider: 'p', providerCode });
      const session = new SharedSession(() => (++attempts === 1 ? Promise.reject(unreadable) : Promise.resolve('session-2')), () => 0);
      await expect(session.token({ requestId: 'a' })).rejects.toBe(unreadable);
      await settle();
      expect(await session.token({ requestId: 'b' }), providerCode).toBe('session-2');
      expect(attempts).toBe(2);
    }
  });

  it('does not hold a login that failed otherwise: in transit, or a PROVIDER_ERROR the login code did not call a refusal (a redirect)', async () => {
    const failures = [new GatewayError('PROVIDER_UNAVAILABLE', 'provider p is unreachable', { provider: 'p' }), providerError('p', 'provider p redirected the request (HTTP 301)', 'HTTP_301')];
    for (const failure of failures) {
      let attempts = 0;
      const session = new SharedSession(() => (++attempts === 1 ? Promise.reject(failure) : Promise.resolve('session-2')), () => 0);
      await expect(session.token({ requestId: 'a' })).rejects.toBe(failure);
      await settle();
      expect(await session.token({ requestId: 'b' })).toBe('session-2');
      expect(attempts).toBe(2);
    }
  });

  it('renews once when the answer says the session expired, and sends again with the new one', async () => {
    const tokens = ['old-session', 'new-session'];
    const session = new SharedSession(() => Promise.resolve(tokens.shift() ?? 'none'));
    const sent: string[] = [];
    const answer = await session.run(
      (token) => {
        sent.push(token);
        return Promise.resolve(token === 'old-session' ? 'expired' : 'data');
      },
      (result) => result === 'expired',
      { requestId: 'r' },
    );
    expect(answer).toBe('data');
    expect(sent).toEqual(['old-session', 'new-session']);
  });

  it('hands back the second answer even if it too says expired (no loop of logins)', async () => {
    let logins = 0;
    const session = new SharedSession(() => Promise.resolve(`session-${++logins}`));
    const answer = await session.run(() => Promise.resolve('expired'), (result) => result === 'expired', { requestId: 'r' });
    expect(answer).toBe('expired');
    expect(logins).toBe(2);
  });

  it('does not renew for an answer that is not an expiry', async () => {
    let logins = 0;
    const session = new SharedSession(() => Promise.resolve(`session-${++logins}`));
    expect(await session.run(() => Promise.resolve('data'), () => false, { requestId: 'r' })).toBe('data');
    expect(logins).toBe(1);
  });

  it('ignores a stale token: many requests failing with the old session cause one login', async () => {
    let logins = 0;
    const session = new SharedSession(() => Promise.resolve(`session-${++logins}`));
    const old = await session.token({ requestId: 'a' });
    await session.invalidate(old);
    const renewed = await session.token({ requestId: 'b' });
    // Other requests still report the old token as expired: the renewed session stays.
    await session.invalidate(old);
    await session.invalidate(old);
    expect(await session.token({ requestId: 'c' })).toBe(renewed);
    expect(logins).toBe(2);
  });

  it('invalidates nothing while no login has been made, or when the login failed', async () => {
    let logins = 0;
    const session = new SharedSession(() => (++logins === 1 ? Promise.reject(new Error('refused')) : Promise.resolve('session')));
    await session.invalidate('anything');
    const failed = session.token({ requestId: 'a' });
    await session.invalidate('anything');
    await expect(failed).rejects.toThrow('refused');
    expect(await session.token({ requestId: 'b' })).toBe('session');
  });

  it('keeps old sessions through a login (answers to requests sent with them may still come) and scrubs the new one from the next answer on', async () => {
    const secrets = new SecretSet();
    secrets.addRuntime('previous-session-id');
    let seenByLogin = '';
    let seenByOthers = '';
    let heldMs: () => number = () => -1;
    const session = SharedSession.loggingIn({ providerId: 'zstack-test', secrets, refusedLoginHeldMs: REFUSED_LOGIN_HELD_MS, showLoginHold: (read) => (heldMs = read), loginRefused: () => undefined }, 'header', () => {
      // The login's own answer is read without earlier sessions (the provider may hand the same one out again); any other answer with them.
      seenByLogin = secrets.scrubConfigured('previous-session-id');
      seenByOthers = secrets.scrub('previous-session-id');
      return Promise.resolve('fresh-session-id');
    });
    expect(await session.token({ requestId: 'r' })).toBe('fresh-session-id');
    expect(seenByLogin).toBe('previous-session-id');
    expect(seenByOthers).toBe('[redacted]');
    expect(secrets.scrub('echo fresh-session-id')).toBe('echo [redacted]');
    expect(secrets.scrub('previous-session-id')).toBe('[redacted]');
    // The account reads this session's hold (for /readyz).
    expect(heldMs()).toBe(0);
  });
});

describe('RequestMemo (a read shared within one GraphQL request, never across requests)', () => {
  it('shares a read in flight within one request, and not with another request', async () => {
    const memo = new RequestMemo<string>();
    const one: UpstreamScope = { requestId: 'one' };
    const other: UpstreamScope = { requestId: 'other' };
    let reads = 0;
    const read = deferred<string>();
    const start = () => {
      reads += 1;
      return read.promise;
    };
    const first = memo.shared(one, start);
    const again = memo.shared(one, start);
    void memo.shared(other, () => Promise.resolve('theirs'));
    expect(again).toBe(first);
    expect(reads).toBe(1);
    read.resolve('data');
    expect(await first).toBe('data');
  });

  it('forgets a shared read once it settles, so a later read in the same request sees fresh data', async () => {
    const memo = new RequestMemo<number>();
    const scope: UpstreamScope = { requestId: 'r' };
    let reads = 0;
    expect(await memo.shared(scope, () => Promise.resolve(++reads))).toBe(1);
    expect(await memo.shared(scope, () => Promise.resolve(++reads))).toBe(2);
    await expect(memo.shared(scope, () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(await memo.shared(scope, () => Promise.resolve(++reads))).toBe(3);
  });

  it('hands a prefetched read out once; a second prefetch while one waits starts nothing', async () => {
    const memo = new RequestMemo<string>();
    const scope: UpstreamScope = { requestId: 'r' };
    let reads = 0;
    memo.prefetch(scope, () => Promise.resolve(`read-${++reads}`));
    memo.prefetch(scope, () => Promise.resolve(`read-${++reads}`));
    expect(reads).toBe(1);
    expect(await memo.take(scope)).toBe('read-1');
    expect(memo.take(scope)).toBeUndefined();
    expect(memo.take({ requestId: 'never-prefetched' })).toBeUndefined();
  });

  it('keeps a failed prefetch for whoever takes it, without an unhandled rejection meanwhile', async () => {
    const memo = new RequestMemo<string>();
    const scope: UpstreamScope = { requestId: 'r' };
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      memo.prefetch(scope, () => Promise.reject(new Error('prefetch failed')));
      await settle();
      await expect(memo.take(scope)).rejects.toThrow('prefetch failed');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
