import { GatewayError, clipProviderCode, providerError } from '../../domain/errors.js';
import { scrubbedError, wordsBeforeScrub } from '../scrubbed-error.js';
import { mayRetry, type HttpMethod, type UpstreamClient } from '../../upstream/client.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { NOT_FOUND_AT_PROVIDER, refusedRead, statusError, type StatusErrorTable } from '../http-errors.js';
import { providerWords } from '../provider-words.js';
import { lockedRefusal } from './locked-refusal.js';
import { ONAPP_INSTANCE_LIST, isOnappErrorBody } from './error-body.js';
import type { OnappConfig } from './config.js';
import { basicAuthorization } from './secrets.js';
import { instanceListElsewhere, type ListShape } from '../list-elsewhere.js';
import { NotJsonAnswer } from '../../upstream/answer-body.js';

/**
 * OnApp's REST API: `.json` endpoints, HTTP basic auth, records wrapped by
 * their type (`[{"backup": {...}}]`). Errors: 404, or 422 with
 * `{"errors": {field: [msgs]}}`, `{"errors": [msgs]}` or `{"error": msg}`
 * (all three are seen in client libraries, so all three are read).
 */
export class OnappClient {
  private readonly authorization: string;

  constructor(
    private readonly upstream: UpstreamClient,
    auth: OnappConfig['auth'],
  ) {
    this.authorization = basicAuthorization(auth);
  }

  async call(method: HttpMethod, path: string, operation: string, scope: UpstreamScope, body?: unknown): Promise<unknown> {
    if (operation !== ONAPP_INSTANCE_LIST) return this.answer(method, path, operation, scope, body);
    let answered: unknown;
    try {
      answered = await this.answer(method, path, operation, scope, body);
    } catch (error) {
      throw error instanceof NotJsonAnswer ? instanceListElsewhere(this.upstream, ONAPP_LIST) : error;
    }
    // Every read starts at the VM list: one that is no list is the url's mistake (list-elsewhere.ts).
    if (!Array.isArray(answered)) throw instanceListElsewhere(this.upstream, ONAPP_LIST);
    return answered;
  }

  private async answer(method: HttpMethod, path: string, operation: string, scope: UpstreamScope, body?: unknown): Promise<unknown> {
    const response = await this.upstream.request({
      method,
      path,
      headers: { authorization: this.authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      operation,
      ...(operation === ONAPP_INSTANCE_LIST ? {} : { ownNotFound: isOnappErrorBody }),
      scope,
    });
    if (response.status >= 400) {
      const read = mayRetry({ method });
      const lockedRead = read && response.status === 422 ? lockedRefusal(this.upstream.providerId, errorMessage(response.body), true) : null;
      // Scrubbed as statusError's are: OnApp's words may quote anything.
      if (lockedRead) throw scrubbedError(this.upstream.secrets, lockedRead);
      const error = statusError(this.upstream, response.status, response.body, operation === ONAPP_INSTANCE_LIST ? ONAPP_LIST_ERRORS : ONAPP_ERRORS);
      // 401 is OnApp refusing the user and API key; its 403 can be one action the user may not do.
      if (response.status === 401) this.upstream.credentialsRefused();
      throw read ? refusedRead(error) : error;
    }
    return response.body;
  }
}

/** OnApp's statuses: a 422 of a locked virtual server is a CONFLICT, one naming fields the caller's input; other refusals carry one of three error shapes. */
const ONAPP_LIST_ERRORS: StatusErrorTable = {
  refused: 'credentials',
  notFound: NOT_FOUND_AT_PROVIDER,
  byStatus: {
    422: (provider, body) => {
      const locked = lockedRefusal(provider, errorMessage(body));
      if (locked) return locked;
      const fields = fieldNames(body);
      // A field -> [messages] map names the caller's input; the text was scrubbed by the upstream client.
      return fields.length > 0 ? new GatewayError('BAD_USER_INPUT', wordsBeforeScrub(`provider ${provider} refused field(s) ${fields.join(', ')}: ${errorMessage(body)}`), { provider, providerCode: 'HTTP_422' }) : null;
    },
  },
  otherwise: (provider, body, status) => providerError(provider, errorMessage(body), `HTTP_${status}`),
};

/**
 * Every call's but the VM list's: OnApp refuses a user's key 401, so a 403 in OnApp's own error shape
 * is one action the user's role does not permit, the rest of its calls answered. A 403 of other words
 * (a proxy's plain "Forbidden") cannot be told from a key refused, and stays the credentials'. The VM
 * list refused is the account refused all it is for (every read starts there): health says so.
 */
const ONAPP_ERRORS: StatusErrorTable = { ...ONAPP_LIST_ERRORS, refusesOneAction: isOnappErrorBody };

/** Rails' whole-record key and the gateway's own credentials: never the caller's input. */
const NOT_INPUT_FIELDS = new Set(['base', 'authorization', 'api_key', 'password', 'login', 'user']);

/** The fields of a `{"errors": {field: [msgs]}}` answer; none for the other shapes or when one is not the caller's. */
export function fieldNames(body: unknown): string[] {
  const errors = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).errors : undefined;
  if (errors === null || typeof errors !== 'object' || Array.isArray(errors)) return [];
  const fields = Object.keys(errors as Record<string, unknown>);
  if (fields.length === 0 || fields.some((field) => NOT_INPUT_FIELDS.has(field.toLowerCase()))) return [];
  return fields.map((field) => clipProviderCode(field, 'field'));
}

/** The text of any of OnApp's three error shapes. */
export function errorMessage(body: unknown): string {
  const record = body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const errors = record.errors ?? record.error;
  if (typeof errors === 'string') return wordsBeforeScrub(errors);
  if (Array.isArray(errors)) return wordsBeforeScrub(providerWords(errors, '; '));
  if (errors !== null && typeof errors === 'object') {
    return wordsBeforeScrub(
      Object.entries(errors as Record<string, unknown>)
        .map(([field, messages]) => `${field} ${providerWords(messages)}`)
        .join('; '),
    );
  }
  return 'the provider refused the request';
}

/**
 * A list read's records. OnApp lists are JSON arrays, `[]` when empty: a
 * blank answer, `null` or an object is no list, and reading it as none would
 * tell a dashboard an account has no VMs or a VM no backups.
 */
export function listRecords(body: unknown, type: string, provider: string): Array<Record<string, unknown>> {
  if (!Array.isArray(body)) {
    throw new GatewayError('PROVIDER_ERROR', `provider ${provider} answered a list read without a list`, { provider, providerCode: 'INVALID_RESPONSE' });
  }
  return unwrapRecords(body, type);
}

/** `[{"backup": {...}}, ...]` -> `[{...}, ...]`; a bare `{"backup": {...}}` -> `[{...}]` (a write's answer, which may also be empty). */
export function unwrapRecords(body: unknown, type: string): Array<Record<string, unknown>> {
  const list = Array.isArray(body) ? body : body === null || body === undefined ? [] : [body];
  return list
    .map((item) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[type] ?? item : null))
    .filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object');
}

/** OnApp's VM list is a JSON array (`[]` when empty) at the control panel's /virtual_machines.json. */
const ONAPP_LIST: ListShape = { answersWith: "OnApp's JSON list", urlHint: "the OnApp control panel's address (OnApp's API answers at its /virtual_machines.json)" };
