import { randomUUID } from 'node:crypto';
import { GatewayError, clipProviderCode, providerError } from '../../domain/errors.js';
import type { HttpMethod, UpstreamClient, UpstreamResponse } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { sha512Hex } from '../../upstream/secrets.js';
import { WriteSends } from '../../upstream/write-refused.js';
import { SharedSession, refusedLogin, type IssuedSession } from '../../upstream/session.js';
import { NOT_FOUND_AT_PROVIDER, loginNotFound, statusError, type AnsweringAccount, type StatusErrorTable } from '../http-errors.js';
import { scrubbedError, wordsBeforeScrub } from '../scrubbed-error.js';
import type { ZstackConfig } from './config.js';
import { MissingResourceAnswer, isResourceNotFound, isZstackOwnError, noApiAt } from './not-found.js';
import { sessionLifetimeMs } from './session-lifetime.js';
import { elaborationOf, rootDescription } from './error-chain.js';
import { NotJsonAnswer } from '../../upstream/answer-body.js';
import { loginElsewhere, type LoginShape } from '../login-elsewhere.js';

export const API = '/zstack/v1';

/** ZStack's login answers `{"inventory": {"uuid": ...}}` at the url's /zstack/v1/accounts/login (the gateway adds /zstack/v1). */
const ZSTACK_LOGIN: LoginShape = { answersWith: "ZStack's session", urlHint: "ZStack's own address, without /zstack/v1 (ZStack logs in at its /zstack/v1/accounts/login)" };
/**
 * ZStack's header for a client-chosen job uuid: a request sent again with it cannot start a second
 * job. ZStack refuses it (400 "Duplicate job uuid[...]", RestServer); it does not answer the first
 * job again. The gateway sends each write once, with a fresh uuid.
 */
export const JOB_UUID_HEADER = 'x-job-uuid';

export interface ZstackCall {
  method: HttpMethod;
  path: string;
  /** Query string, already encoded (ZStack repeats `q=`). */
  search?: string;
  body?: unknown;
  operation: string;
  jobUuid?: string;
  passStatuses?: readonly number[];
  /** The caller reads a body's `error` itself, whatever the status (job polls). */
  readsError?: boolean;
  /** A 404 that is ZStack's own answer besides its JSON error (isZstackOwnError), not the url's mistake (UpstreamRequest.ownNotFound): the job poll's expired job. */
  ownNotFound?: (body: unknown, text: string) => boolean;
  /**
   * The account's whole VM list. Its 404 is the url's mistake whatever its body, as Danube's and
   * OnApp's is (a query answers 200, or 503 with ZStack's error: providers.md): never ZStack's own
   * answer, whose JSON error would bring health back to UP, and NOT_FOUND for the gateway to name the
   * url (instance-list-not-found.ts). Read as a single resource's 404, a list answered with ZStack's
   * JSON error read PROVIDER_ERROR with that error's code and health UP, and a web server's page kept
   * health UP too.
   */
  instanceList?: boolean;
}

/**
 * ZStack's code for a session it no longer knows (IdentityErrors.INVALID_SESSION,
 * "ID.1001"). ZStack's REST server checks no session itself: the API's
 * interceptor does, so a dead session is answered as any failed API is, a
 * query with "503 with {"error":…}" and a job with a 202 whose poll fails with
 * that error. No 401 comes from ZStack itself; one from a proxy in front of
 * it is read as a refused session too.
 */
export const INVALID_SESSION = 'ID.1001';

/** Whether a body is ZStack's "session no longer valid" error. */
export function isSessionRefusal(body: unknown): boolean {
  return hasZstackError(body) && (body as { error: { code?: unknown } }).error.code === INVALID_SESSION;
}

/** Which session a job failed for (ID.1001): one a login handed out (log in again) or the config's fixed `sessionId` (the operator's to replace). */
export type SessionRefusedInJob = 'expired' | 'configured';

export const newJobUuid = (): string => randomUUID().replace(/-/g, '');

/**
 * ZStack's REST API: `Authorization: OAuth <session>`, a session from
 * `logInByAccount` (password as hex SHA-512) or fixed in the config, renewed
 * ahead of the `expiredDate` its login answered (session-lifetime.ts), and
 * once when ZStack says it is no longer valid (ID.1001, or a 401). Errors are
 * `{"error": {code, description, details}}`; `details` can hold paths or
 * internals, so only the code and description are passed on.
 */
export class ZstackClient {
  private readonly session: SharedSession;
  /** The config's `sessionId`: no login renews it, so its refusal is the configured credentials refused. */
  private readonly sessionFixed: boolean;
  /** When this client was made (ms, the wall clock a job's `startedAt` is read on). */
  private readonly madeAt = Date.now();

  constructor(
    private readonly upstream: UpstreamClient,
    auth: ZstackConfig['auth'],
    sessionRenewedOnUse = false,
  ) {
    const fixed = auth.sessionId;
    this.sessionFixed = Boolean(fixed);
    this.session = fixed ? new SharedSession(() => Promise.resolve(fixed)) : SharedSession.loggingIn(upstream, 'header', (scope) => this.login(auth.accountName ?? '', auth.password ?? '', scope));
    this.session.callsExtendSession = sessionRenewedOnUse;
  }

  async call(call: ZstackCall, scope: UpstreamScope): Promise<UpstreamResponse> {
    // A write refused inside its 2xx ("error ... not null": ID.1001 among them) did nothing, whatever fails after it.
    const sends = call.method === 'GET' ? null : new WriteSends(scope);
    try {
      return await this.callOnce(call, scope, sends);
    } catch (error) {
      throw sends ? sends.failure(error) : error;
    }
  }

  private async callOnce(call: ZstackCall, scope: UpstreamScope, sends: WriteSends | null): Promise<UpstreamResponse> {
    const sent = async (token: string): Promise<UpstreamResponse> => {
      sends?.sending();
      const answer = await this.send(call, token, scope);
      if (answer.status < 300 && !call.readsError && hasZstackError(answer.body)) sends?.refusedInAnswer();
      return answer;
    };
    // A job poll's error is the job's: ZStack checks no session on `api-jobs` (the adapter reads it).
    const sessionRefused = (response: UpstreamResponse): boolean => response.status === 401 || (!call.readsError && isSessionRefusal(response.body));
    const response = await this.session.run(sent, sessionRefused, scope);
    // Refused again after the renewal, a fixed session is the operator's to replace (a 503 ID.1001 passes no statusError).
    if (this.sessionFixed && sessionRefused(response)) this.upstream.credentialsRefused();
    const { status, body } = response;
    const passed = call.passStatuses?.includes(status) ?? false;
    // 401/403 always; a 404 unless passed; any other refusal unless passed or read by the caller itself (job polls).
    const refused = status === 401 || status === 403 || (status === 404 && !passed) || (status >= 400 && !passed && !(call.readsError && hasZstackError(body)));
    if (refused && status === 404 && call.instanceList === true) throw new GatewayError('NOT_FOUND', NOT_FOUND_AT_PROVIDER(), { provider: this.upstream.providerId, providerCode: 'HTTP_404' });
    if (refused) throw status === 404 ? notFoundAnswer(this.upstream, body, call) : statusError(this.upstream, status, body, ZSTACK_ERRORS);
    // "error ... If not null, the operation failed. This field is null when the operation succeeds" (ZStack API docs): whatever the status.
    if (response.status < 300 && !call.readsError && hasZstackError(response.body)) throw zstackError(this.upstream, response.body);
    // ZStack answers a JSON object (an inventory, a job's location or its event) or nothing: a 2xx
    // array or bare value is no answer of its own, and read as a job's end it made a write SUCCEEDED.
    if (response.status < 300 && !isObjectOrNothing(body)) throw notZstackAnswer(this.upstream.providerId);
    return response;
  }

  /** One send of `call` with the session `token`. */
  private send(call: ZstackCall, token: string, scope: UpstreamScope): Promise<UpstreamResponse> {
    return this.upstream.request({
      method: call.method,
      path: `${API}${call.path}${call.search ? `?${call.search}` : ''}`,
      headers: {
        authorization: `OAuth ${token}`,
        ...(call.body === undefined ? {} : { 'content-type': 'application/json;charset=UTF-8' }),
        ...(call.jobUuid ? { [JOB_UUID_HEADER]: call.jobUuid } : {}),
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      operation: call.operation,
      ...(call.passStatuses ? { passStatuses: call.passStatuses } : {}),
      // ZStack's JSON error is its own answer at any call but the instance list; the caller's test adds plain words it knows (the expired job's).
      // The caller's test first: a job poll keeps each 404's verdict (expired-job-answers.ts).
      ...(call.instanceList === true ? {} : { ownNotFound: (body: unknown, text: string) => call.ownNotFound?.(body, text) === true || isZstackOwnError(body) }),
      passErrorBody: isZstackErrorAnswer,
      scope,
    });
  }

  /**
   * A job sent at `sentAt` failed for its session (ID.1001): the next call logs in again, unless a login
   * since has renewed it. A fixed `sessionId` no login renews: its refusal is the configured credentials
   * refused, told to health and the log as a refused query's is (a job's 202 and its poll were answered,
   * and health read UP). Not for a job sent before this client was made: a restart with the sessionId
   * put right still finds an old job failed with the old one.
   */
  sessionRefusedInJob(sentAt: Date): SessionRefusedInJob {
    this.session.forgetIfFrom(sentAt);
    if (!this.sessionFixed) return 'expired';
    if (sentAt.getTime() >= this.madeAt) this.upstream.credentialsRefused();
    return 'configured';
  }

  private async login(accountName: string, password: string, scope: UpstreamScope): Promise<IssuedSession> {
    let response: UpstreamResponse;
    try {
      response = await this.upstream.request({
        method: 'PUT',
        path: `${API}/accounts/login`,
        headers: { 'content-type': 'application/json;charset=UTF-8' },
        body: JSON.stringify({ logInByAccount: { accountName, password: sha512Hex(password) } }),
        idempotent: true,
        login: true,
        operation: 'accounts.login',
        // Logging in is a synchronous API: a refused one is "503 with {"error":…}" (ID.1000), no outage to retry.
        passErrorBody: isZstackErrorAnswer,
        scope,
      });
    } catch (error) {
      // A 2xx page of HTML (NotJsonAnswer is a 2xx's alone): another server's (login-elsewhere.ts).
      throw error instanceof NotJsonAnswer ? loginElsewhere(this.upstream, ZSTACK_LOGIN) : error;
    }
    if (response.status === 404) throw loginNotFound(this.upstream);
    const uuid = (response.body as { inventory?: { uuid?: unknown } } | null)?.inventory?.uuid;
    // A 2xx without a session is no answer to the credentials: another server's JSON (login-elsewhere.ts).
    if (response.status < 400 && typeof uuid !== 'string') throw loginElsewhere(this.upstream, ZSTACK_LOGIN);
    if (response.status >= 400 || typeof uuid !== 'string') {
      // An error status here is ZStack's answer to the credentials (ID.1000).
      throw refusedLogin(providerError(this.upstream.providerId, `provider ${this.upstream.providerId} refused the gateway's login`, errorCode(response.body, `HTTP_${response.status}`)));
    }
    return { token: uuid, lifetimeMs: sessionLifetimeMs((response.body as { inventory: unknown }).inventory) };
  }
}

const isObjectOrNothing = (body: unknown): boolean => body === null || (typeof body === 'object' && !Array.isArray(body));

const notZstackAnswer = (provider: string): GatewayError =>
  new GatewayError('PROVIDER_ERROR', `provider ${provider} answered with JSON that is no object, not an answer of ZStack's`, { provider, providerCode: 'INVALID_RESPONSE' });

/**
 * ZStack's statuses: a refused session, a 404 of a resource (SYS.1003, see notFoundAnswer), else its `{"error": ...}` body. A refusal
 * without that body is ZStack's REST server refusing the request's form before any API saw it
 * (RestServer's RestException: 400 with plain words, as for a query condition it cannot parse):
 * the status is its code, not ZSTACK_ERROR, which said ZStack had named an error it had not.
 */
const ZSTACK_ERRORS: StatusErrorTable = {
  refused: 'session',
  notFound: NOT_FOUND_AT_PROVIDER,
  otherwise: (provider, body, status) => (hasZstackError(body) ? zstackRefusal(provider, body) : providerError(provider, `provider ${provider} refused the gateway's request (HTTP ${status})`, `HTTP_${status}`)),
};

/**
 * ZStack's 404, read by its body rather than by the mapping every provider shares (404 = NOT_FOUND):
 * NOT_FOUND only where ZStack says it has no such resource (SYS.1003); another ZStack error is that
 * error, as at any other status; anything else (RestServer's plain "no api mapping to <path>", a
 * proxy's page) is the path's absence (not-found.ts).
 */
function notFoundAnswer(account: AnsweringAccount, body: unknown, call: ZstackCall): GatewayError {
  if (isResourceNotFound(body)) return new MissingResourceAnswer(statusError(account, 404, body, ZSTACK_ERRORS), body);
  if (hasZstackError(body)) return zstackError(account, body);
  return scrubbedError(account.secrets, noApiAt(account.providerId, call.method, `${API}${call.path}`));
}

/** A body whose `error` is set: "If not null, the operation failed" (ZStack API docs). */
export function hasZstackError(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error;
  return error !== null && error !== undefined && typeof error === 'object';
}

/**
 * A 5xx that is ZStack's own failure answer, not an outage: "Queries are
 * synchronous: 200, or 503 with {"error":…}", and a failed job answers 503
 * with `{"error":{code,description,details,…}}`. Passed to the adapter so the
 * error code reaches the client; a plain-text 503 from a proxy still counts as
 * the provider being unavailable (and reads are retried).
 */
export function isZstackErrorAnswer(status: number, body: unknown): boolean {
  return status === 503 && hasZstackError(body);
}

/** The providerCode of a ZStack error whose `error.code` is missing or no short token: the gateway's word, not ZStack's. */
export const UNNAMED_ZSTACK_ERROR = 'ZSTACK_ERROR';

/** ZStack's `error.code`, clipped to a short token: it has carried a password hash. */
const errorCode = (body: unknown, fallback: string): string => clipProviderCode((body as { error?: { code?: unknown } } | null)?.error?.code, fallback);

/** ZStack's error answer as the account's PROVIDER_ERROR, its message scrubbed last (scrubbedError). */
export const zstackError = (account: AnsweringAccount, body: unknown): GatewayError => scrubbedError(account.secrets, zstackRefusal(account.providerId, body));

/**
 * `{"error": {code, description, details, cause}}` as PROVIDER_ERROR; details are dropped on purpose.
 * A wrapper's description ("An operation failed") is followed by its root cause's (error-chain.ts),
 * which says what failed; the code stays the top error's, ZStack's "error code" of the answer.
 */
function zstackRefusal(provider: string, body: unknown): GatewayError {
  const error = (body as { error?: { code?: unknown; description?: unknown } } | null)?.error;
  const top = wordsBeforeScrub(error?.description, 'ZStack reported an error');
  const root = rootDescription(body);
  const described = root === null ? top : `${top}: ${wordsBeforeScrub(root)}`;
  // ZStack's elaboration says why in a person's words where it is set; it is scrubbed with the rest.
  const elaboration = elaborationOf(body);
  const message = elaboration === null || elaboration === top || elaboration === root ? described : `${described} (${wordsBeforeScrub(elaboration)})`;
  return providerError(provider, message, errorCode(body, UNNAMED_ZSTACK_ERROR));
}
