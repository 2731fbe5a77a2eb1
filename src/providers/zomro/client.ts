import { GatewayError, clipProviderCode, conflict, providerError } from '../../domain/errors.js';
import type { UpstreamClient, UpstreamResponse } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { UpstreamCancelledError } from '../../upstream/deadline.js';
import { WriteSends } from '../../upstream/write-refused.js';
import { SharedSession, refusedLogin } from '../../upstream/session.js';
import { refusedRead } from '../http-errors.js';
import { scrubbedError, wordsBeforeScrub } from '../scrubbed-error.js';
import type { ZomroConfig } from './config.js';
import { KeepaliveCheck } from './keepalive.js';
import { answerErrorType, scalar, unwrap, wireError, type ZomroDoc, type ZomroWireError } from './wire.js';
import { formBody } from './form-body.js';
import { anotherServerAnswered } from './another-server.js';
import { NotJsonAnswer } from '../../upstream/answer-body.js';

/** BILLmanager error types that mean "no such object" or "state forbids it". */
const NOT_FOUND_TYPES = new Set(['missed', 'notfound', 'not_found']);
const CONFLICT_TYPES = new Set(['exists', 'locked', 'protected', 'busy']);
/** A name the instance's backups or schedules already hold: the one refusal the caller mends by renaming. */
const EXISTS_TYPE = 'exists';
/** Types of a form validation failure: the caller's input, when they name a field. */
const VALUE_TYPES = new Set(['value', 'empty', 'invalid', 'format']);
/**
 * BILLmanager documents no distinct type for an expired session ("A distinct
 * expired-session type: not found"): an `auth` error on a call made with a
 * session is read as "session no longer valid". Zomro's panel meets a dead
 * session as an `access` error, "Insufficient privileges to perform function
 * ..." ("У вас недостаточно прав на выполнение функции"), the words of a real
 * lack of rights too, and tells the two apart by asking `func=keepalive`
 * (`$type` 'access' again: the session is gone) (Zomro panel src,
 * checkIfTokenAlive and getCurrentSessionStatus). The gateway asks the same
 * (keepalive.ts) before it renews a session or calls a token expired.
 */
const AUTH_TYPES = new Set(['auth', 'access']);
const ACCESS_TYPE = 'access';
/** Form fields that carry the gateway's credentials: an error naming them is the gateway's, never the caller's. */
const CREDENTIAL_FIELDS = new Set(['auth', 'authinfo', 'username', 'password', 'key']);

export interface ZomroCall {
  func: string;
  params?: Record<string, string>;
  /** Reads are retried on transient failures; anything with `sok=ok` is not. */
  idempotent: boolean;
}

/**
 * Zomro's one-URL form API: every call is a form POST of `func=...&out=json`
 * plus credentials. Credentials go only into the form body, which is never
 * logged nor copied into an error; BILLmanager quotes the body back (in
 * `tparams`, in error messages), so they are declared to the scrubber too.
 *
 * With `username`/`password` the gateway logs in (`func=auth`, "The session
 * id comes back in doc.auth.$id; send it as auth=<id> on later calls") and
 * logs in again when a session dies ("The session dies after 1 hour with no
 * requests"); concurrent requests share one login. A configured `token`
 * cannot be renewed: when refused it is reported as expired. An `access`
 * refusal is either; a keepalive says which, so a right the account lacks
 * costs no login and is not called an expired token.
 */
export class ZomroClient {
  private readonly session: SharedSession | null;
  private readonly token: string | null;
  /** The account's scrubber, for provider text the answer's scrub could not see (`$object`'s inner JSON). */
  private readonly scrub = (text: string): string => this.upstream.secrets.scrub(text);

  private readonly keepalive = new KeepaliveCheck((session, scope) => this.isAlive(session, scope));
  /**
   * Funcs refused (`access`) to a session fresh from a login that a keepalive without an answer
   * brought about, while the keepalive has answered nothing since. Read as dead again, each
   * request to such a func logged in once more (a login per request while the keepalive was
   * down); for them the keepalive's failure is the error until it answers. Bounded by the funcs
   * this client calls.
   */
  private readonly refusedAfterDoubt = new Set<string>();

  constructor(private readonly upstream: UpstreamClient, auth: ZomroConfig['auth']) {
    this.token = auth.token ?? null;
    this.session = auth.token ? null : SharedSession.loggingIn(upstream, 'form body', (scope) => this.login(auth.username ?? '', auth.password ?? '', scope));
  }

  async call(call: ZomroCall, scope: UpstreamScope): Promise<ZomroDoc> {
    const sends = call.idempotent ? null : new WriteSends(scope);
    try {
      return await this.callOnce(call, scope, sends);
    } catch (error) {
      // What failed after a refusal (the keepalive asking why, the login renewing the session) says
      // nothing of the write: its key is freed (write-refused.ts), not kept 24 h by that failure's kind.
      throw sends ? sends.failure(error) : error;
    }
  }

  private async callOnce({ func, params = {}, idempotent }: ZomroCall, scope: UpstreamScope, sends: WriteSends | null): Promise<ZomroDoc> {
    let sentWith = '';
    const send = async (auth: string) => {
      sentWith = auth;
      sends?.sending();
      const doc = await this.post({ ...params, func, out: 'json', auth }, func, idempotent, scope);
      // BILLmanager answers its refusals 200: counted as a write that reached the panel until read here.
      if (wireError(doc, this.scrub) !== null) sends?.refusedInAnswer();
      return doc;
    };
    /** Set when a keepalive said the session that met `access` is live: the account may not use `func`. */
    let refusedRight = false;
    /** Set when this request renewed the session because a keepalive could not tell (see isAlive). */
    let renewedOnDoubt = false;
    /** Set while the last keepalive asked got no answer, its session read as dead on doubt alone. */
    let keepaliveCouldNotTell = false;
    const alive = async (): Promise<boolean> => {
      keepaliveCouldNotTell = false;
      try {
        const live = await this.keepalive.alive(sentWith, scope);
        this.refusedAfterDoubt.clear();
        return live;
      } catch (error) {
        if (!this.session || !cannotTell(error) || this.refusedAfterDoubt.has(func)) throw error;
        // The session this request's own doubt brought was refused too: a login cannot help `func`.
        if (renewedOnDoubt) this.refusedAfterDoubt.add(func);
        renewedOnDoubt = true;
        keepaliveCouldNotTell = true;
        return false;
      }
    };
    // At most one keepalive per refusal: the first answer's, or (after a renewal) the retry's.
    const sessionDead = async (answer: ZomroDoc): Promise<boolean> => {
      const error = wireError(answer, this.scrub);
      if (!isAuthError(error)) return false;
      if (error.type.toLowerCase() === ACCESS_TYPE && (await alive())) refusedRight = true;
      return !refusedRight;
    };
    const doc = this.session ? await this.session.run(send, sessionDead, scope) : await send(this.token ?? '');
    const error = wireError(doc, this.scrub);
    if (error) {
      // The fixed token's refusal, or a renewed session's, has not been asked about yet.
      if (isAuthError(error) && !refusedRight) await sessionDead(doc);
      // A fixed token refused as dead (not a right the account lacks): nothing can renew it but the operator.
      if (!this.session && isAuthError(error) && !refusedRight) this.upstream.credentialsRefused();
      // A session refused right after a fresh login, BILLmanager saying so (`auth`, or a keepalive that
      // answered it dead): the account logs in but may use nothing, so health says the credentials are
      // refused. The login's answer had read UP (a login succeeding ends any other failure), and
      // nothing after it said otherwise. Not on a keepalive that could not tell.
      if (this.session && isAuthError(error) && !refusedRight && !keepaliveCouldNotTell) this.upstream.callRefused();
      const mapped = scrubbedError(this.upstream.secrets, this.mapWireError(error, func, refusedRight));
      // Reads are the calls marked idempotent (list funcs are form POSTs too).
      throw idempotent ? refusedRead(mapped) : mapped;
    }
    return doc;
  }

  /** `login`: the `func=auth` call (see UpstreamRequest.login). */
  private async post(form: Record<string, string>, operation: string, idempotent: boolean, scope: UpstreamScope, login = false): Promise<ZomroDoc> {
    let response: UpstreamResponse;
    try {
      response = await this.upstream.request({
        method: 'POST',
        // The account's url as written: Zomro's document posts to https://api.zomro.com/, other
        // notes to https://api.zomro.com/billmgr (BILLmanager's usual path); either can be configured.
        path: '',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: formBody(form),
        idempotent,
        login,
        operation,
        scope,
        // A login's refusal is the login's to say (refusedLogin), as its answer is: its 200 with
        // `doc.error` is no login answered, or health read UP before the refusal was read.
        refusedInBody: login ? holdsError : refusesSession,
      });
    } catch (error) {
      // A page that is not JSON (a web server's HTML) at the url; malformed JSON may be BILLmanager's own, cut short.
      if (!(error instanceof NotJsonAnswer)) throw error;
      throw this.anotherServer(error.status, 'INVALID_RESPONSE');
    }
    const doc = (response.body as { doc?: unknown } | null)?.doc;
    // 5xx, 429 and 3xx were refused by the upstream client: what is left without a document is no BILLmanager's.
    if (response.status >= 400 || doc === null || typeof doc !== 'object') throw this.anotherServer(response.status, `HTTP_${response.status}`);
    return doc as ZomroDoc;
  }

  /** An answer without a BILLmanager document: the url's mistake, which health says too (it read UP). */
  private anotherServer(status: number, providerCode: string): GatewayError {
    this.upstream.answeredByAnotherServer();
    return anotherServerAnswered(this.upstream.providerId, status, providerCode);
  }

  /** `func=auth`: the session id is `doc.auth.$id` (BILLmanager docs); a bare `doc.auth.$` is read too. */
  private async login(username: string, password: string, scope: UpstreamScope): Promise<string> {
    const doc = await this.post({ func: 'auth', username, password, sok: 'ok', out: 'json' }, 'auth', true, scope, true);
    const provider = this.upstream.providerId;
    const error = wireError(doc, this.scrub);
    if (error) {
      const type = clipProviderCode(error.type, 'error');
      throw refusedLogin(scrubbedError(this.upstream.secrets, providerError(provider, `provider ${provider} refused the gateway's login: ${wordsBeforeScrub(error.message, `BILLmanager error "${type}"`)}`, type)));
    }
    const auth = doc.auth;
    const id = auth !== null && typeof auth === 'object' && typeof (auth as Record<string, unknown>).$id === 'string' ? ((auth as Record<string, unknown>).$id as string) : scalar(unwrap(auth));
    if (!id) throw providerError(provider, `provider ${provider} answered the login without a session id`, 'auth');
    return id;
  }

  /**
   * `func=keepalive` with `session`: live when answered without an error. An
   * `access` or `auth` error is a dead session; so is any other error (a
   * panel without the func): the reading before the keepalive was asked.
   *
   * A keepalive that gets no answer (unreachable, timed out, 5xx, no
   * BILLmanager document) cannot tell, and throws. With a login `call` reads
   * the session as dead: a fresh login costs one call, and its own failure is
   * then the request's error; failing the request on the keepalive's failure
   * lost a request a login would have carried (not for a func a fresh session
   * was refused, see refusedAfterDoubt). A fixed token cannot be renewed, so
   * there the keepalive's failure stays the error: "expired" would send an
   * operator to replace a token that may be fine.
   */
  private async isAlive(session: string, scope: UpstreamScope): Promise<boolean> {
    const doc = await this.post({ func: 'keepalive', out: 'json', auth: session }, 'keepalive', true, scope);
    return wireError(doc, this.scrub) === null;
  }

  private mapWireError(error: ZomroWireError, func: string, refusedRight: boolean): GatewayError {
    const provider = this.upstream.providerId;
    const type = clipProviderCode(error.type, 'error');
    const message = wordsBeforeScrub(error.message, `BILLmanager error "${type}"`);
    // As Danube's 403 "permission denied": the provider's refusal (PROVIDER_ERROR), no login, the session kept.
    if (refusedRight) return providerError(provider, `provider ${provider} refused ${func} to the gateway's account, whose session is live (the account lacks the right; a new login would not change it): ${message}`, type);
    if (isAuthError(error)) {
      return this.session
        ? providerError(provider, `provider ${provider} refused the gateway's session right after a fresh login: ${message}`, type)
        : providerError(provider, `provider ${provider} refused the configured session token: it has expired (BILLmanager ends a session after an hour without requests) or is wrong; configure username/password so the gateway can log in again`, type);
    }
    const fields = fieldErrors(error);
    if (fields.length > 0) {
      const detail = fields.map(([field, messages]) => (messages.length > 0 ? `${field}: ${messages.join(', ')}` : field)).join('; ');
      return new GatewayError('BAD_USER_INPUT', wordsBeforeScrub(`provider ${provider} refused field(s) ${fields.map(([field]) => field).join(', ')}: ${detail}`), { provider, providerCode: type });
    }
    if (NOT_FOUND_TYPES.has(type)) return new GatewayError('NOT_FOUND', message, { provider, providerCode: type });
    if (type === EXISTS_TYPE) return conflict(`${message}: send it again with another name`, provider);
    if (CONFLICT_TYPES.has(type)) return conflict(message, provider);
    return providerError(provider, message, type);
  }
}

const isAuthError = (error: ZomroWireError | null): error is ZomroWireError => error !== null && AUTH_TYPES.has(error.type.toLowerCase());

/** An answer that is BILLmanager's `access` or `auth` document: a refused session or token, or a right the account lacks, which the keepalive tells apart. */
const refusesSession = (body: unknown): boolean => AUTH_TYPES.has(answerErrorType(body)?.toLowerCase() ?? '');

/** Any BILLmanager answer whose `doc.error` is set: a refusal in a 200 (wire.ts reads it so). */
const holdsError = (body: unknown): boolean => {
  const doc = (body as { doc?: unknown } | null)?.doc;
  const error = doc !== null && typeof doc === 'object' ? (doc as { error?: unknown }).error : undefined;
  return error !== null && typeof error === 'object';
};

/** A failure of the provider to answer (not of the request: a cancelled one, a spent budget), which says nothing about the session. */
const cannotTell = (error: unknown): boolean =>
  error instanceof GatewayError && !(error instanceof UpstreamCancelledError) && (error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_TIMEOUT' || error.code === 'PROVIDER_ERROR');

/**
 * The fields a validation error names: `$object` as a field -> [messages]
 * map, `param[]`, or (for a value-type error) a plain `$object`. None when
 * a credential field is among them: that is the gateway's configuration.
 */
function fieldErrors(error: ZomroWireError): Array<[string, string[]]> {
  const fields: Array<[string, string[]]> = [...error.fields].map(([field, messages]) => [field, messages.length > 0 ? messages : error.message ? [error.message] : []]);
  if (fields.length === 0 && error.object && VALUE_TYPES.has(error.type.toLowerCase())) fields.push([error.object, error.message ? [error.message] : []]);
  if (fields.some(([field]) => CREDENTIAL_FIELDS.has(field.toLowerCase()))) return [];
  return fields.map(([field, messages]) => [clipProviderCode(field, 'field'), messages.map((text) => wordsBeforeScrub(text))]);
}
