import { sharedScope, type UpstreamScope } from './scope.js';
import type { SecretSet } from './secrets.js';

/**
 * A login session shared by every request to one provider account: one login
 * however many requests need it at once, and a renewal when the provider says
 * the session is no longer valid. ZStack, Danube and Zomro use it.
 */
export class SharedSession {
  private current: Promise<string> | null = null;
  /** When the current token's login was started (ms). */
  private currentSince = 0;

  /**
   * `login` returns a fresh session token; it must not log the credentials it
   * uses. It gets the scope of the request that needed the login: a login
   * shared by concurrent requests carries the first one's.
   */
  constructor(private readonly login: (scope: UpstreamScope) => Promise<string>) {}

  /**
   * A session from a login, with the account's runtime secrets kept right:
   * old sessions are forgotten before the login (its answer is read
   * unscrubbed of them, in case the same id comes back) and the new one is
   * registered before anything is sent with it, so an echo of it on the next
   * request is already scrubbed. `login` only sends and reads the answer.
   */
  static loggingIn(secrets: SecretSet, login: (scope: UpstreamScope) => Promise<string>): SharedSession {
    return new SharedSession(async (scope) => {
      secrets.forgetRuntime();
      const token = await login(scope);
      secrets.addRuntime(token);
      return token;
    });
  }

  /** The current token, logging in first if there is none (concurrent callers share one login). */
  token(scope: UpstreamScope): Promise<string> {
    if (!this.current) {
      // Concurrent callers share this login: it must outlive the first one's client.
      const attempt = this.login(sharedScope(scope));
      this.current = attempt;
      this.currentSince = Date.now();
      // A failed login is not cached: the next request tries again.
      attempt.catch(() => {
        if (this.current === attempt) this.current = null;
      });
    }
    return this.current;
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
