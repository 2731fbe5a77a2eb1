import { sharedScope, type UpstreamScope } from './scope.js';
import type { SecretSet } from './secrets.js';

/**
 * How long a login the provider refused (PROVIDER_ERROR: wrong password, a
 * disabled user) is answered from memory. Every request tried it again, and
 * panels lock a user, or ban an address, after a few failed logins in a
 * row: a dashboard polling a gateway with a changed password could lock the
 * account for everyone. Long enough to make that two logins a minute per
 * replica, short enough that a password put right in the panel works within
 * half a minute. A login that failed otherwise (in transit, an answer that
 * is no answer) is not held: it said nothing about the credentials.
 */
export const REFUSED_LOGIN_HELD_MS = 30_000;

/** Errors a provider's login code marked as the provider refusing the credentials. */
const refusedLogins = new WeakSet<object>();

/**
 * Marks `error` as the provider refusing the login itself (wrong password, a
 * disabled user), which SharedSession holds for REFUSED_LOGIN_HELD_MS. Only
 * the login code can tell: a PROVIDER_ERROR on the way (a redirect, an answer
 * that is no answer) says nothing about the credentials, and holding it kept
 * the account failing for 30 s after its url was put right.
 */
export function refusedLogin<E extends object>(error: E): E {
  refusedLogins.add(error);
  return error;
}

/**
 * A login session shared by every request to one provider account: one login
 * however many requests need it at once, and a renewal when the provider says
 * the session is no longer valid. ZStack, Danube and Zomro use it.
 */
export class SharedSession {
  private current: Promise<string> | null = null;
  /** When the current token's login was started (ms). */
  private currentSince = 0;
  /** The provider's refusal of the last login and when it came (ms, `now()`'s clock). */
  private refusal: { error: unknown; at: number } | null = null;

  /**
   * `login` returns a fresh session token; it must not log the credentials it
   * uses. It gets the scope of the request that needed the login: a login
   * shared by concurrent requests carries the first one's.
   */
  constructor(
    private readonly login: (scope: UpstreamScope) => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * A session from a login, with the account's runtime secrets kept right:
   * old sessions are forgotten before the login (its answer is read
   * unscrubbed of them, in case the same id comes back) and the new one is
   * registered before anything is sent with it, so an echo of it on the next
   * request is already scrubbed. `login` only sends and reads the answer.
   */
  static loggingIn(secrets: SecretSet, login: (scope: UpstreamScope) => Promise<string>, now: () => number = Date.now): SharedSession {
    return new SharedSession(async (scope) => {
      secrets.forgetRuntime();
      const token = await login(scope);
      secrets.addRuntime(token);
      return token;
    }, now);
  }

  /** The current token, logging in first if there is none (concurrent callers share one login). */
  token(scope: UpstreamScope): Promise<string> {
    if (!this.current) {
      if (this.refusal && this.isHeld(this.refusal.at)) return Promise.reject(this.refusal.error);
      // Concurrent callers share this login: it must outlive the first one's client.
      const attempt = this.login(sharedScope(scope));
      this.current = attempt;
      this.currentSince = this.now();
      // A failed login is not kept as the session; a refused one is answered for a while (REFUSED_LOGIN_HELD_MS).
      // One that succeeds needs no clearing: it was tried only once the hold had run out.
      attempt.catch((error: unknown) => {
        if (this.current === attempt) this.current = null;
        this.refusal = typeof error === 'object' && error !== null && refusedLogins.has(error) ? { error, at: this.now() } : null;
      });
    }
    return this.current;
  }

  /**
   * Whether a refusal that came at `at` is still answered. Measured from when
   * it came, in both directions: a wall clock set back (NTP stepping an hour)
   * held an end time computed before it for that hour too.
   */
  private isHeld(at: number): boolean {
    const since = this.now() - at;
    return since >= 0 && since < REFUSED_LOGIN_HELD_MS;
  }

  /**
   * Forgets `token` if it is still the current one, so the next `token()` logs
   * in again. A stale token from before a concurrent renewal is ignored, which
   * keeps N failing requests from causing N logins.
   */
  async invalidate(token: string): Promise<void> {
    const current = this.current;
    if (!current) return;
    const value = await current.catch(() => null);
    if (value === token && this.current === current) this.current = null;
  }

  /**
   * Forgets the current token if its login started no later than `sentAt`,
   * so the next `token()` logs in again: for a refusal seen after the fact,
   * where the token that was refused is no longer known (ZStack fails a job
   * sent with a dead session only when it is polled). A token from a later
   * login cannot be the one refused, and is kept: forgetting whichever was
   * current made every poll of such a job cost a login.
   */
  forgetIfFrom(sentAt: Date): void {
    if (this.current && this.currentSince <= sentAt.getTime()) this.current = null;
  }

  /**
   * Runs `send` with a token; when `isExpired` says the answer means "session
   * no longer valid", renews once and runs `send` again. A login this needs
   * carries `scope`. `isExpired` may ask the provider first (Zomro's
   * keepalive tells a dead session from a refused right).
   */
  async run<T>(send: (token: string) => Promise<T>, isExpired: (result: T) => boolean | Promise<boolean>, scope: UpstreamScope): Promise<T> {
    const token = await this.token(scope);
    const first = await send(token);
    if (!(await isExpired(first))) return first;
    await this.invalidate(token);
    return send(await this.token(scope));
  }
}
