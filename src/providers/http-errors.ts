import { GatewayError, providerError } from '../domain/errors.js';
import type { SecretSet } from '../upstream/secrets.js';
import { scrubbedError } from './scrubbed-error.js';

/**
 * What a provider's HTTP error statuses mean, as one provider says them. The
 * mapping itself (`statusError`) is the same for every provider: 401/403 is
 * the gateway's own credentials refused (PROVIDER_ERROR, never the caller's
 * fault), 404 is NOT_FOUND, a status in `byStatus` means what it says, and
 * anything else is the provider's failure.
 */
export interface StatusErrorTable<Body = unknown> {
  /** What a refused 401/403 refused: the configured credentials, or the session obtained with them. */
  refused: 'credentials' | 'session';
  /**
   * Whether a 403 refuses only the action asked (a right the account's user lacks), the provider's
   * own words saying so, rather than the credentials: the account's other calls still answer, so
   * its health is not marked (it read DEGRADED CREDENTIALS_REFUSED for one refused action). Absent,
   * or false (a proxy's plain "Forbidden", words it does not know), a 403 is the credentials'.
   */
  refusesOneAction?(body: Body): boolean;
  /** A 404's message. */
  notFound(body: Body): string;
  /** Statuses with a meaning of their own; null falls through to `otherwise`. */
  byStatus?: Readonly<Record<number, (provider: string, body: Body, status: number) => GatewayError | null>>;
  otherwise(provider: string, body: Body, status: number): GatewayError;
}

/** The account an answer came from: its id, the secrets its error messages are scrubbed of, and its health (an UpstreamClient). */
export interface AnsweringAccount {
  readonly providerId: string;
  readonly secrets: SecretSet;
  /** A data call refused 401/403: the account's health reads so until a call is answered. */
  callRefused(): void;
}

/**
 * The error a refusal maps to, its message scrubbed last (scrubbedError): a table's words are joined
 * provider words. Only data calls come here (each login reads its own refusal), so a 401/403 is every
 * call of the account refused until someone changes its credentials or rights: its health says so.
 * Not a 403 the provider's words mark as one action's (StatusErrorTable.refusesOneAction).
 */
export function statusError<Body>(account: AnsweringAccount, status: number, body: Body, table: StatusErrorTable<Body>): GatewayError {
  if (status === 403 && table.refusesOneAction?.(body) === true) return actionNotPermitted(account.providerId);
  if (isRefusal(status)) account.callRefused();
  return scrubbedError(account.secrets, mappedStatus(account.providerId, status, body, table));
}

const isRefusal = (status: number): boolean => status === 401 || status === 403;

/**
 * Who can put a refusal right and where: only the gateway's operator, in the account's auth (its
 * key, token or password, in the config or the secret file it names) or in the user's rights at the
 * provider; a 403 may be a right one action lacks. The answer said only "refused the gateway's
 * credentials", and callers could not tell it was not theirs to fix. No provider words: the status says it.
 */
function refusalMessage(provider: string, status: number, refused: StatusErrorTable['refused']): string {
  const where = status === 403 ? ", and the user's rights in the provider's panel" : " against the provider's panel";
  return `provider ${provider} refused the gateway's ${refused} (HTTP ${status}): the gateway's operator must check the account's auth in the config (or the secret file it names)${where}`;
}

/** The providerCode of a 403 refusing one action (StatusErrorTable.refusesOneAction): the gateway's word, so a client tells it from a refused key. */
export const ACTION_NOT_PERMITTED = 'ACTION_NOT_PERMITTED';

/**
 * One action refused to the account's user, the rest of its calls answered. No provider words (the
 * status and the provider's own refusal say it); no credential can be in it.
 */
function actionNotPermitted(provider: string): GatewayError {
  return providerError(
    provider,
    `provider ${provider} refused this action to the gateway's account (HTTP 403): the account's user lacks the right for it in the provider's panel, which only the gateway's operator can grant; its other calls are not refused`,
    ACTION_NOT_PERMITTED,
  );
}

function mappedStatus<Body>(provider: string, status: number, body: Body, table: StatusErrorTable<Body>): GatewayError {
  if (isRefusal(status)) return providerError(provider, refusalMessage(provider, status, table.refused), `HTTP_${status}`);
  if (status === 404) return new GatewayError('NOT_FOUND', table.notFound(body), { provider, providerCode: 'HTTP_404' });
  return table.byStatus?.[status]?.(provider, body, status) ?? table.otherwise(provider, body, status);
}

/**
 * A provider's "bad input" answer to a read (a list, a status poll) is the
 * provider's failure, not the client's: the client sent no input to that
 * call. Kept as PROVIDER_ERROR with the provider's code and words; only a
 * write's refusal names the client's input (BAD_USER_INPUT, `fields`).
 */
export function refusedRead(error: GatewayError): GatewayError {
  if (error.code !== 'BAD_USER_INPUT') return error;
  const { fields: _notTheClients, ...details } = error.details;
  return new GatewayError('PROVIDER_ERROR', error.message, details);
}

/** The 404 message of providers whose 404 says nothing more. */
export const NOT_FOUND_AT_PROVIDER = (): string => 'not found at the provider';

/**
 * An account whose url answers, but not as its provider's API does: its health reads so
 * (UpstreamClient.answeredByAnotherServer), as a refused call's does (`AnsweringAccount.callRefused`).
 */
export interface MisdirectedAccount {
  readonly providerId: string;
  answeredByAnotherServer(): void;
}

/**
 * A 404 to the login itself: nothing logs in where the account's url points (the API's own path
 * added to its base, ZStack's `/zstack/v1`, or a path left out). Not the credentials refused: told
 * as that, it was held for 30 s and the log said to check the account's auth, not its url. Health
 * reads DEGRADED (cause `other`) until a call is answered: it read UP while every request failed so.
 */
export function loginNotFound(account: MisdirectedAccount): GatewayError {
  account.answeredByAnotherServer();
  return providerError(account.providerId, `provider ${account.providerId} has no login where its url points (HTTP 404): check the account's url in the config (the API's base URL)`, 'HTTP_404');
}
