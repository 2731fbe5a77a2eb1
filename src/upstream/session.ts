import { GatewayError, providerError } from '../domain/errors.js';
import { UPSTREAM_DEFAULTS } from './defaults.js';
import { sharedScope, type UpstreamScope } from './scope.js';
import type { SecretSet } from './secrets.js';

/**
 * How long a login the provider refused (PROVIDER_ERROR: wrong password, a
 * disabled user) is answered from memory, unless the account's
 * `refusedLoginHeldMs` says otherwise. Every request tried it again, and
 * panels lock a user, or ban an address, after a few failed logins in a
 * row: a dashboard polling a gateway with a changed password could lock the
 * account for everyone. Long enough to make that two logins a minute per
 * replica, short enough that a password put right in the panel works within
 * half a minute. A login that failed otherwise (in transit, an answer that
 * is no answer) is not held: it said nothing about the credentials.
 */
export const REFUSED_LOGIN_HELD_MS: number = UPSTREAM_DEFAULTS.refusedLoginHeldMs;

/** Errors a provider's login code marked as the provider refusing the credentials. */
const refusedLogins = new WeakSet<object>();

const isRefusedLogin = (error: unknown): error is object => typeof error === 'object' && error !== null && refusedLogins.has(error);

/**
 * The refusal as told to a request: with the seconds until the login is tried
 * again, so a client (and `/readyz`) knows when asking again can help. The
 * marked error itself is kept unchanged for the next request's copy.
 */
function withTimeLeft(error: unknown, heldMs: number): unknown {
  // Held for no time (refusedLoginHeldMs 0), the next request asks again: there is no time to wait.
  if (!(error instanceof GatewayError) || heldMs <= 0) return error;
  return new GatewayError(error.code, error.message, { ...error.details, retryAfterSeconds: Math.max(1, Math.ceil(heldMs / 1000)) });
}

/**
 * Marks `error` as the provider refusing the login itself (wrong password, a
 * disabled user), which SharedSession holds for the account's hold. Only
 * the login code can tell: a PROVIDER_ERROR on the way (a redirect, an answer
 * that is no answer) says nothing about the credentials, and holding it kept
 * the account failing for 30 s after its url was put right.
 */
export function refusedLogin<E extends object>(error: E): E {
  refusedLogins.add(error);
  return error;
}

/**
 * The longest session a login may hand out. Every session is looked for in every answer, in each
 * of its forms (secrets.ts): one of 64 KiB took half a second to prepare at each login and a
 * quarter of a second to look for in each 2 MB answer. Real ones are uuids, tokens and JWTs of
 * a few hundred characters.
 */
export const MAX_SESSION_LENGTH = 4_096;

/**
 * What a session sent in an HTTP header may hold: printable ASCII and spaces, what a header carries
 * as it is. One with a line break, a NUL or a character past Latin-1 made undici refuse every
 * request sent with it before a byte went out, read as an unreachable provider; and no answer ever
 * said it was dead, so it was kept and the account answered "unreachable" until a restart.
 */
const UNSENDABLE_SESSION = /[^\x20-\x7e]/;

/**
 * Where the provider's requests carry the session: in an HTTP header (ZStack's `Authorization:
 * OAuth`, Danube's `Authorization: Token`), which takes printable ASCII only, or in a URL-encoded
 * form body (Zomro's `auth=`), which sends any character.
 */
export type SessionCarrier = 'header' | 'form body';

/**
 * A session a login handed out, with how long the provider said it lives (ms from the login, on the
 * provider's own clock, so a skew between the clocks does not move it); null when it named no end.
 */
export interface IssuedSession {
  token: string;
  lifetimeMs: number | null;
}

/** A login answers a bare token (it named no end) or the session with its lifetime. */
type LoginResult = string | IssuedSession;

const issued = (result: LoginResult): IssuedSession => (typeof result === 'string' ? { token: result, lifetimeMs: null } : result);

/**
 * How long before the end a login reported the session is renewed: a tenth of its lifetime, at most a
 * minute. A call sent just before the end can reach the provider after it (and a write refused for its
 * session is one more round trip at best); renewing ahead costs one login per lifetime, no refused call.
 */
export function renewalMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(0, lifetimeMs) / 10);
}

/** How soon a renewal ahead of the end that failed in transit is tried again, while the session still works. */
export const RENEWAL_RETRY_MS = 5_000;

/** The session a renewal ahead of its end replaces, which works until the end its login reported. */
interface StillValidSession {
  token: Promise<string>;
  since: number;
  lifetimeMs: number;
}

/** The provider account a login session belongs to (its UpstreamClient). */
export interface LoginAccount {
  readonly providerId: string;
  readonly secrets: SecretSet;
  /** How long a login the provider refused is held (ms; the account's `refusedLoginHeldMs`, REFUSED_LOGIN_HELD_MS by default). */
  readonly refusedLoginHeldMs: number;
  /** Where the account reads how long a refused login is still held (ms, 0 when none). */
  showLoginHold(heldMs: () => number): void;
  /** Told once per refusal the provider sends (not per request answered from the hold): the operator's log line. */
  loginRefused(): void;
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
  /** When the current token is renewed ahead of the end its login reported (ms, `now()`'s clock); Infinity when it named none. */
  private renewAt = Infinity;
  /** The lifetime the current token's login reported (ms); null when it named none. */
  private lifetimeMs: number | null = null;
  /**
   * The provider starts a session's lifetime again with each call it answers (ZStack read that way,
   * see ZstackConfig `sessionRenewedOnUse`): an answered call moves the renewal on, so a session in
   * use is not renewed needlessly. Otherwise the end is the one the login reported, used or not.
   */
  callsExtendSession = false;
  /** The provider's refusal of the last login and when it came (ms, `now()`'s clock). */
  private refusal: { error: unknown; at: number } | null = null;

  /**
   * `login` returns a fresh session token; it must not log the credentials it
   * uses. It gets the scope of the request that needed the login: a login
   * shared by concurrent requests carries the first one's.
   */
  constructor(
    private readonly login: (scope: UpstreamScope) => Promise<LoginResult>,
    private readonly now: () => number = Date.now,
    private readonly onRefused: () => void = () => undefined,
    /** How long a refused login is answered from memory (ms); 0 holds none. */
    private readonly refusalHoldMs: number = REFUSED_LOGIN_HELD_MS,
  ) {}

  /**
   * A session from a login, with the account's runtime secrets kept right:
   * the new one is registered before anything is sent with it, so an echo of
   * it on the next request is already scrubbed; the old ones are kept, for
   * answers still on their way to requests sent with them. `login` only sends
   * and reads the answer (marked `login`, see UpstreamRequest). The account is
   * told where to read a held refusal (`/readyz`). A session the `carrier`
   * cannot send is refused at login, never kept.
   */
  static loggingIn(account: LoginAccount, carrier: SessionCarrier, login: (scope: UpstreamScope) => Promise<LoginResult>, now: () => number = Date.now): SharedSession {
    const { secrets } = account;
    const session = new SharedSession(async (scope) => {
      const answered = issued(await login(scope));
      const { token } = answered;
      // Not a refusal (held): an odd answer, as a login answer without a session is.
      if (token.length > MAX_SESSION_LENGTH) {
        throw providerError(account.providerId, `provider ${account.providerId} handed out a session of ${token.length} characters at login (at most ${MAX_SESSION_LENGTH} are taken)`, 'SESSION_TOO_LONG');
      }
      if (carrier === 'header' && UNSENDABLE_SESSION.test(token)) {
        throw providerError(account.providerId, `provider ${account.providerId} handed out a session with characters an HTTP header cannot carry (at login)`, 'SESSION_UNSENDABLE');
      }
      secrets.addRuntime(token);
      return answered;
    }, now, () => account.loginRefused(), account.refusedLoginHeldMs);
    account.showLoginHold(() => session.refusalHeldMs());
    return session;
  }

  /**
   * The current token, logging in first if there is none or if it is due for renewal ahead of the end
   * its login reported (concurrent callers share one login: the first caller past the time starts it,
   * the others find it current).
   */
  token(scope: UpstreamScope): Promise<string> {
    // Renewed ahead of its end, the session still works until then: a login failing in transit
    // meanwhile leaves it in use (renewal tried again RENEWAL_RETRY_MS on), or the margin meant
    // to spare a refused call made every request of that minute fail with the login's error.
    let stillValid: StillValidSession | null = null;
    if (this.current && this.now() >= this.renewAt) {
      if (this.lifetimeMs !== null) stillValid = { token: this.current, since: this.currentSince, lifetimeMs: this.lifetimeMs };
      this.current = null;
    }
    if (!this.current) {
      const heldMs = this.refusalHeldMs();
      if (this.refusal && heldMs > 0) return Promise.reject(withTimeLeft(this.refusal.error, heldMs));
      // Concurrent callers share this login: it must outlive the first one's client.
      // A failed login is not kept as the session; a refused one is answered for a while (refusalHoldMs).
      // One that succeeds needs no clearing: it was tried only once the hold had run out.
      const startedAt = this.now();
      const attempt: Promise<string> = this.login(sharedScope(scope)).then(
        (result) => {
          const { token, lifetimeMs } = issued(result);
          // Counted from when the login was sent: the provider started the lifetime no earlier.
          if (this.current === attempt && lifetimeMs !== null) {
            this.lifetimeMs = lifetimeMs;
            this.renewAt = startedAt + lifetimeMs - renewalMarginMs(lifetimeMs);
          }
          return token;
        },
        (error: unknown) => {
          if (this.current === attempt) this.current = null;
          if (!isRefusedLogin(error)) {
            this.refusal = null;
            if (stillValid && this.current === null && this.now() < stillValid.since + stillValid.lifetimeMs) return this.keepUntilItsEnd(stillValid);
            throw error;
          }
          this.refusal = { error, at: this.now() };
          this.onRefused();
          throw withTimeLeft(error, this.refusalHoldMs);
        },
      );
      this.current = attempt;
      this.currentSince = startedAt;
      this.renewAt = Infinity;
      this.lifetimeMs = null;
    }
    return this.current;
  }

  /** The session renewed ahead of its end, kept in use after that login failed in transit. */
  private keepUntilItsEnd(session: StillValidSession): Promise<string> {
    this.current = session.token;
    this.currentSince = session.since;
    this.lifetimeMs = session.lifetimeMs;
    this.renewAt = Math.min(session.since + session.lifetimeMs, this.now() + RENEWAL_RETRY_MS);
    return session.token;
  }

  /**
   * How long (ms) the provider's last refusal of the login is still answered
   * from memory; 0 when none is held. Measured from when it came, in both
   * directions: a wall clock set back (NTP stepping an hour) held an end
   * time computed before it for that hour too.
   */
  refusalHeldMs(): number {
    if (!this.refusal) return 0;
    const since = this.now() - this.refusal.at;
    return since >= 0 && since < this.refusalHoldMs ? this.refusalHoldMs - since : 0;
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
    const sentAt = this.now();
    const first = await send(token);
    if (!(await isExpired(first))) {
      this.extendIfUsed(token, sentAt);
      return first;
    }
    await this.invalidate(token);
    const renewed = await this.token(scope);
    const resentAt = this.now();
    const second = await send(renewed);
    // Not asked whether `second` met a dead session: `isExpired` may ask the provider, with effects
    // (Zomro's keepalive, and what its failure marks), and the caller asks about `second` itself. A
    // session fresh from this login moves its renewal on no further than its login already did.
    this.extendIfUsed(renewed, resentAt);
    return second;
  }

  /** A call sent at `sentAt` with `token` was answered with it: where calls extend a session, its renewal moves on from then. */
  private extendIfUsed(token: string, sentAt: number): void {
    if (!this.callsExtendSession || this.lifetimeMs === null || this.current === null) return;
    // Only the current session's answer counts, and only once its login has answered (its lifetime is known).
    const current = this.current;
    const lifetimeMs = this.lifetimeMs;
    void current.then(
      (value) => {
        if (value === token && this.current === current) this.renewAt = Math.max(this.renewAt, sentAt + lifetimeMs - renewalMarginMs(lifetimeMs));
      },
      () => undefined,
    );
  }
}
