import { GatewayError, conflict, providerError } from '../../domain/errors.js';
import { UnusableNativeId } from '../../domain/unusable-native-id.js';
import { wordsBeforeScrub } from '../scrubbed-error.js';
import { mayRetry, type HttpMethod, type UpstreamClient, type UpstreamResponse } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { loginNotFound, refusedRead, statusError, type StatusErrorTable } from '../http-errors.js';
import { providerWords } from '../provider-words.js';
import { SharedSession, refusedLogin, type IssuedSession } from '../../upstream/session.js';
import { writeRefusedInAnswer } from '../../upstream/write-refused.js';
import type { DanubeConfig } from './config.js';
import { isApiKeyRefused, isSessionRefused, refusesOneAction } from './session-refused.js';
import { preconditionFields } from './precondition-refusals.js';
import { isTaskId } from './task-id.js';
import { DANUBE_INSTANCE_LIST, isDanubeNotFound } from './own-not-found.js';
import { tokenLifetimeMs } from './token-lifetime.js';
import { backupsSwitchedOff } from './backups-switched-off.js';
import { slashedPath } from './slashed-path.js';
import { instanceListElsewhere, type ListShape } from '../list-elsewhere.js';
import { loginElsewhere, type LoginShape } from '../login-elsewhere.js';
import { NotJsonAnswer } from '../../upstream/answer-body.js';

export interface DanubeAnswer {
  status: number;
  result: unknown;
  taskId: string | null;
}

/**
 * The characters of any hostname Danube lists: letters, digits, '-' and '.' (esdc-ce's
 * VmDefineSerializer, `^[A-Za-z0-9][A-Za-z0-9\.-]+[A-Za-z0-9]$`); a VM uuid is of them too. Only
 * the characters and the first one are held to it, not Danube's length and last-character rules,
 * so a VM some older panel named otherwise still reads. No hostname begins with "-" or "." (RFC
 * 1123, and Danube's lookup answers 412 "Invalid hostname"): a client's id naming `-`, `.a` or `-a`
 * went to Danube and read PROVIDER_ERROR for the client's own input.
 */
const HOSTNAME_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/**
 * The longest name a host can have (RFC 1035's 255 bytes on the wire: 253 characters written). A
 * client's id of a longer one went to Danube and came back PROVIDER_ERROR "Invalid hostname" (412).
 * Danube's own rule is stricter (4 to 128), but only what no hostname can be is refused here: a
 * label over 63 characters within it is Danube's to judge, and a VM listed so must keep reading.
 */
const LONGEST_HOSTNAME = 253;

/** Whether a hostname (or VM uuid) may go into a path: Danube's characters, a letter or digit first, no `..`, at most 253 characters. */
export const isSendableHostname = (hostname: string): boolean => hostname.length <= LONGEST_HOSTNAME && HOSTNAME_CHARACTERS.test(hostname) && !hostname.includes('..');

/**
 * Hostnames go into URL paths: refuse anything that could leave the VM's path, or that Danube
 * never lists (a client's `a&b=c` in an id was sent on, Danube refused it, and the client read
 * PROVIDER_ERROR), then encode. The refusal is the client's input unless the provider's own VM
 * list named the hostname (UnusableNativeId).
 */
export function hostnameSegment(hostname: string): string {
  if (!isSendableHostname(hostname)) {
    throw new UnusableNativeId('not a valid Danube hostname', 'listed a VM whose hostname cannot be used in a URL (empty, over 253 characters, beginning with "-" or ".", holding ".." or anything but letters, digits, "-" and ".")');
  }
  return encodeURIComponent(hostname);
}

/**
 * Danube Cloud's API: `{"status","result","task_id"}` envelopes; an API key
 * header, or a login token that lasts an hour and dies when anyone logs in
 * again, renewed ahead of the `expires` its login answered (token-lifetime.ts),
 * and once when Danube says the session is gone (a 403, see
 * session-refused.ts), with one login shared by concurrent requests.
 * `dc` goes as a parameter on every call (the API also takes a /dc/{dc}/
 * prefix; the parameter keeps the paths identical with and without it).
 */
export class DanubeClient {
  private readonly session: SharedSession | null;
  private readonly apiKey: string | null;

  constructor(
    private readonly upstream: UpstreamClient,
    auth: DanubeConfig['auth'],
    private readonly dc: string | undefined,
  ) {
    this.apiKey = auth.apiKey ?? null;
    this.session = auth.apiKey ? null : SharedSession.loggingIn(upstream, 'header', (scope) => this.login(auth.username ?? '', auth.password ?? '', scope));
  }

  async call(method: HttpMethod, path: string, operation: string, scope: UpstreamScope, data: Record<string, unknown> = {}): Promise<DanubeAnswer> {
    if (operation !== DANUBE_INSTANCE_LIST) return this.answer(method, path, operation, scope, data);
    let answered: DanubeAnswer;
    try {
      answered = await this.answer(method, path, operation, scope, data);
    } catch (error) {
      throw error instanceof NotJsonAnswer || error instanceof InvalidEnvelope ? instanceListElsewhere(this.upstream, DANUBE_LIST) : error;
    }
    // Every read starts at the VM list: a 2xx that is no list is the url's mistake (list-elsewhere.ts).
    if (!Array.isArray(answered.result)) throw instanceListElsewhere(this.upstream, DANUBE_LIST);
    return answered;
  }

  private async answer(method: HttpMethod, path: string, operation: string, scope: UpstreamScope, data: Record<string, unknown>): Promise<DanubeAnswer> {
    const params = { ...data, ...(this.dc ? { dc: this.dc } : {}) };
    const send = (headers: Record<string, string>) =>
      this.upstream.request({
        method,
        path: slashedPath(path),
        headers: { ...headers, ...ENGLISH, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
        ...(method === 'GET' ? { query: stringParams(params) } : { body: JSON.stringify(params) }),
        operation,
        ...(operation === DANUBE_INSTANCE_LIST ? {} : { ownNotFound: isDanubeNotFound }),
        scope,
      });
    const response = this.session
      ? await this.session.run((token) => send({ authorization: `Token ${token}` }), isSessionRefused, scope)
      : await send({ 'es-api-key': this.apiKey ?? '' });
    const switchedOff = backupsSwitchedOff(this.upstream, operation, response);
    if (switchedOff) throw switchedOff;
    return this.interpret(response, mayRetry({ method }), operation === TASK_STATUS, scope, operation === DANUBE_INSTANCE_LIST ? DANUBE_LIST_ERRORS : DANUBE_ERRORS);
  }

  private interpret(response: UpstreamResponse, read: boolean, taskStatus: boolean, scope: UpstreamScope, errors: StatusErrorTable<DanubeBody>): DanubeAnswer {
    const body = (response.body ?? {}) as Record<string, unknown>;
    const taskId = isTaskId(body.task_id) ? body.task_id : null;
    // A task the answer names but the gateway could never poll: the write may have acted, and its end cannot be told.
    if (!read && taskId === null && body.task_id !== undefined && body.task_id !== null && RUNNING_TASK_WORDS.has(body.status) && response.status < 400) throw unfollowableTask(this.upstream.providerId);
    // A 2xx is read only with the envelope's SUCCESS or a running task's word: Danube answers a failure 400 FAILURE
    // (410 REVOKED), and a 2xx saying so, or saying nothing (a proxy's `{}`, an error page's JSON), was
    // taken for a done write: a restore or delete the provider refused was answered SUCCEEDED.
    // A blank read is left to its caller, which names it (a list read without a list); a task's status is not.
    const blankRead = read && !taskStatus && response.body === null;
    const status = response.status < 400 && !blankRead ? envelopeStatus(body, taskId, response.status) : response.status;
    if (status === INVALID_ENVELOPE) throw invalidEnvelope(this.upstream.providerId);
    // A write's 2xx FAILURE is Danube's "400 Bad Request – FAILURE" (API docs), which writes nothing,
    // yet its status counted the write as reached: a cancel answered so (its task already failed),
    // whose task read then failed on the gateway's side, kept its idempotencyKey 24 h though a 400
    // FAILURE frees it (write-refused.ts). REVOKED is not taken back: a cancel answered so acted.
    if (!read && response.status < 400 && body.status === 'FAILURE') writeRefusedInAnswer(scope);
    if (status < 400) return { status, result: body.result ?? null, taskId };
    const error = statusError(this.upstream, status, body, errors);
    // The API key refused (not a permission one action lacks); with a login, the session is renewed and a refused login logged by it.
    if (!this.session && isApiKeyRefused(response)) this.upstream.credentialsRefused();
    throw read ? refusedRead(error) : error;
  }

  private async login(username: string, password: string, scope: UpstreamScope): Promise<IssuedSession> {
    let response: UpstreamResponse;
    try {
      response = await this.upstream.request({
        method: 'POST',
        path: slashedPath('/accounts/login'),
        headers: { 'content-type': 'application/json', ...ENGLISH },
        body: JSON.stringify({ username, password }),
        idempotent: true,
        login: true,
        operation: 'accounts.login',
        scope,
      });
    } catch (error) {
      // A 2xx page of HTML (NotJsonAnswer is a 2xx's alone): another server's (login-elsewhere.ts).
      throw error instanceof NotJsonAnswer ? loginElsewhere(this.upstream, DANUBE_LOGIN) : error;
    }
    if (response.status === 404) throw loginNotFound(this.upstream);
    const token = (response.body as { token?: unknown } | null)?.token;
    // A 2xx without a token is no answer to the credentials: another server's JSON (login-elsewhere.ts).
    if (response.status < 400 && typeof token !== 'string') throw loginElsewhere(this.upstream, DANUBE_LOGIN);
    if (response.status >= 400 || typeof token !== 'string') {
      throw refusedLogin(providerError(this.upstream.providerId, `provider ${this.upstream.providerId} refused the gateway's login`, `HTTP_${response.status}`));
    }
    return { token, lifetimeMs: tokenLifetimeMs((response.body as { expires?: unknown }).expires, response.headers.date, Date.now()) };
  }
}

/** Danube's login answers `{"token": ..., "expires": ...}` at the API base's /accounts/login/. */
const DANUBE_LOGIN: LoginShape = { answersWith: "Danube's token", urlHint: "Danube's API base (its path usually ends in /api; Danube logs in at its /accounts/login/)" };

/** The operation name of a task's status read (DanubeAdapter.pollTask): its 2xx is always read by its envelope. */
export const TASK_STATUS = 'task.status';

/** Not a status Danube sends: the 2xx answer had no envelope `interpret` can read. */
const INVALID_ENVELOPE = -1;

/** The status a running task's answer is read as, whatever its 2xx: the API docs' "201 Created – PENDING", which callers follow. */
const RUNNING_TASK_STATUS = 201;
/** The status a SUCCESS answered 201 is read as: the API docs' "200 OK – SUCCESS", done. */
const DONE_STATUS = 200;

/**
 * The HTTP status a 2xx answer stands for by its envelope (Danube API docs: "200 OK – SUCCESS",
 * "201 Created – PENDING", "400 Bad Request – FAILURE", and the task API's 410 REVOKED): a SUCCESS
 * answered 201 as 200, a FAILURE or REVOKED as the error status that says it, a running task as 201 (kept at its own
 * status, a write a panel or proxy answered 200 PENDING read as done, SUCCEEDED, its task never
 * followed), a running task without its task id as no envelope (nothing to follow), anything else
 * but SUCCESS and a running task's words as no envelope.
 */
function envelopeStatus(body: Record<string, unknown>, taskId: string | null, status: number): number {
  // Done, whatever 2xx says so: the API docs' own definition create example answers `"status": 201`
  // with `"status": "SUCCESS"`, and esdc-ce's task status answers a finished task with the success
  // code its result names. Kept at 201, either read as a task still running: a restore done at once
  // was polled, its task unknown (404), and reported FAILED; a finished task read RUNNING for ever.
  if (body.status === 'SUCCESS') return status === RUNNING_TASK_STATUS ? DONE_STATUS : status;
  if (RUNNING_TASK_WORDS.has(body.status)) return taskId === null ? INVALID_ENVELOPE : RUNNING_TASK_STATUS;
  if (body.status === 'FAILURE') return 400;
  if (body.status === 'REVOKED') return 410;
  return INVALID_ENVELOPE;
}

const unfollowableTask = (provider: string): GatewayError =>
  new GatewayError(
    'PROVIDER_ERROR',
    `provider ${provider} answered a task id that is no Danube task id (letters, digits and ._:- only, at most 128 characters), so its task cannot be followed: the request may have been done, look at the provider before sending it again`,
    { provider, providerCode: 'INVALID_RESPONSE' },
  );

/**
 * A running task's words. The API docs name PENDING alone; esdc-ce writes Celery's own state in the
 * envelope ("status": "<celery status>", api/task/response.py; get_task_result reads RETRY as
 * PENDING) and tracks started tasks (CELERY_TRACK_STARTED = True, core/celery/config.py), so a task
 * a worker has taken answers 201 STARTED (providers.md: "201 PENDING/STARTED"). Both are read as
 * running; read as no envelope, every poll of a started task was PROVIDER_ERROR INVALID_RESPONSE.
 */
const RUNNING_TASK_WORDS: ReadonlySet<unknown> = new Set(['PENDING', 'STARTED']);

/** A 2xx without Danube's envelope: its own class, so the VM list can tell it as the url's mistake (list-elsewhere.ts). */
class InvalidEnvelope extends GatewayError {
  constructor(provider: string) {
    super('PROVIDER_ERROR', `provider ${provider} answered without Danube's status (SUCCESS, PENDING, STARTED or FAILURE)`, { provider, providerCode: 'INVALID_RESPONSE' });
  }
}

const invalidEnvelope = (provider: string): GatewayError => new InvalidEnvelope(provider);

/**
 * A login is renewed on Danube's English words (session-refused.ts). esdc-ce runs Django's
 * LocaleMiddleware, which answers in the installation's LANGUAGE_CODE unless the request asks
 * for a language it offers, and English is always offered: asked for, the words stay English
 * on an installation set to another language.
 */
const ENGLISH = { 'accept-language': 'en' } as const;

const conflictOf = (provider: string, body: DanubeBody, status: number): GatewayError => conflict(describe(body, status), provider);
const badInputOf = (provider: string, body: DanubeBody, status: number): GatewayError =>
  new GatewayError('BAD_USER_INPUT', describe(body, status), { provider, providerCode: `HTTP_${status}`, fields: refusedFields(body) });

/** Danube's statuses (API docs): the caller's input, the object's state, or the provider's own failure; as read for the VM list (every other call: DANUBE_ERRORS). */
type DanubeBody = Record<string, unknown>;
const DANUBE_LIST_ERRORS: StatusErrorTable<DanubeBody> = {
  refused: 'credentials',
  notFound: (body) => describe(body, 404),
  byStatus: {
    406: conflictOf,
    409: conflictOf,
    417: conflictOf,
    423: conflictOf,
    428: (provider, body, status) => {
      const fields = preconditionFields(describe(body, status));
      return fields ? new GatewayError('BAD_USER_INPUT', describe(body, status), { provider, providerCode: `HTTP_${status}`, fields: [...fields] }) : conflictOf(provider, body, status);
    },
    // "412 Precondition Failed – Invalid disk_id / Invalid target_disk_id" (Danube API docs): the caller's input.
    412: badInputOf,
    // Field errors are the caller's input; anything else is the provider's own failure.
    400: (provider, body, status) => (hasFieldErrors(body) ? badInputOf(provider, body, status) : null),
  },
  otherwise: (provider, body, status) => providerError(provider, describe(body, status), `HTTP_${status}`),
};

/**
 * Every call's but the VM list's: a 403 PermissionDenied refuses that one action (refusesOneAction).
 * The VM list refused so is the account refused all it is for (every VM and backup read starts
 * there): read as the credentials', health says so (DANUBE_LIST_ERRORS).
 */
const DANUBE_ERRORS: StatusErrorTable<DanubeBody> = { ...DANUBE_LIST_ERRORS, refusesOneAction };

const stringParams = (params: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined && value !== null).map(([key, value]) => [key, String(value)]));

/**
 * The failure's words: `{"detail": ...}`, a task's `{"result": {...}}`, or a bare dict of field
 * messages. A message sent as a list is its items joined (read by index it was "0: VM backup status
 * is not OK"), a field without words is left out (all null read "detail:"), and a refusal with no
 * words left is named by its HTTP status.
 */
function describe(body: Record<string, unknown>, status: number): string {
  return wordsBeforeScrub(refusalWords(body) || `the provider answered HTTP ${status} without saying why`);
}

function refusalWords(body: Record<string, unknown>): string {
  const source = isRecord(body.detail) || wordsOf(body.detail) !== '' ? body.detail : body.status === 'FAILURE' ? body.result : body;
  if (!isRecord(source)) return wordsOf(source);
  const detail = isRecord(source.detail) ? '' : wordsOf(source.detail);
  if (detail !== '') return detail;
  return Object.entries(source)
    .filter(([key]) => key !== 'status' && key !== 'task_id')
    .map(([key, value]) => [key, wordsOf(value)])
    .filter(([, words]) => words !== '')
    .map(([key, words]) => `${key}: ${words}`)
    .join('; ');
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/** How deep a list of messages is read here, as providerWords reads them: deeper is its "...". */
const WORDS_DEPTH = 4;

/** A message's words: text trimmed, a list's items joined without the ones that say nothing, null as "". */
function wordsOf(value: unknown, depth = 0): string {
  if (!Array.isArray(value) || depth >= WORDS_DEPTH) return providerWords(value).trim();
  return value
    .map((item: unknown) => wordsOf(item, depth + 1))
    .filter((words) => words !== '')
    .join(', ');
}

/** Danube's parameter names as the gateway's input names, where they differ. */
const INPUT_NAME: Readonly<Record<string, string>> = {
  disk_id: 'diskId',
  target_disk_id: 'targetDiskId',
  target_hostname_or_uuid: 'targetInstanceId',
  schedule: 'cron',
  bwlimit: 'bandwidthLimit',
  desc: 'description',
  bkpdef: 'definitionName',
};
/** A field name is passed on only if it looks like one: never a provider sentence, never a secret. */
const FIELD_NAME = /^[a-z][a-z0-9_]{0,39}$/;
/** Own keys only: "constructor" or "toString" would otherwise find Object's and name no field at all. */
const inputName = (field: string): string | null => (FIELD_NAME.test(field) ? (Object.hasOwn(INPUT_NAME, field) ? (INPUT_NAME[field] as string) : field) : null);

/**
 * The fields a 400/412 names: the keys of a field-error dict, or the field
 * in a detail such as "Invalid disk_id" or "Invalid disk_id / Invalid target_disk_id".
 */
export function refusedFields(body: Record<string, unknown>): string[] {
  const source = body.status === 'FAILURE' ? body.result : body.detail === undefined ? body : null;
  const keys = source !== null && typeof source === 'object' ? Object.entries(source as Record<string, unknown>).filter(([, value]) => Array.isArray(value)).map(([key]) => key) : [];
  const detail = typeof body.detail === 'string' ? body.detail : typeof (source as { detail?: unknown } | null)?.detail === 'string' ? String((source as { detail: string }).detail) : '';
  const named = [...detail.matchAll(/Invalid ([a-z][a-z0-9_]{0,39})/g)].map((match) => match[1] as string);
  return [...new Set([...keys, ...named].map(inputName).filter((name): name is string => name !== null))];
}

function hasFieldErrors(body: Record<string, unknown>): boolean {
  const source = body.status === 'FAILURE' ? body.result : body.detail === undefined ? body : null;
  return source !== null && typeof source === 'object' && Object.values(source as Record<string, unknown>).some(Array.isArray);
}

/** Danube's VM list answers `{"status": "SUCCESS", "result": [...]}` (`[]` when empty) at the API base's /vm/. */
const DANUBE_LIST: ListShape = { answersWith: "Danube's list", urlHint: "Danube's API base (its path usually ends in /api; Danube lists VMs at its /vm/)" };
