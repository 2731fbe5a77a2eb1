import { STATUS_CODES } from 'node:http';

/** HTTP's reason phrases ("Not Found", "Forbidden"), lower case. */
const REASON_PHRASES: ReadonlySet<string> = new Set(Object.values(STATUS_CODES).map((phrase) => (phrase ?? '').toLowerCase()));

/**
 * Words that are only a status's reason phrase: a web framework's generic error (a Rails API's or
 * Spring Boot's `{"status":404,"error":"Not Found"}`, a proxy's `{"error":"Forbidden"}`) names no
 * object and no right, so any server at a wrong url sends it, as DRF's bare "Not found." (Danube).
 */
const isReasonPhrase = (words: unknown): boolean => typeof words === 'string' && REASON_PHRASES.has(words.trim().replace(/\.$/, '').toLowerCase());

/**
 * Whether an error answer's body is OnApp's own: one of the error shapes its API answers ("Errors
 * come as 422 or 404 with {"errors":{field:[msgs]}} or {"errors":[…]}; some endpoints use
 * "error"", providers.md, read from OnApp's client libraries). A web server's or proxy's HTML,
 * plain-text or empty answer (null here), another API's JSON (`{"detail": ...}`), or words that
 * are only a reason phrase (isReasonPhrase), is not. Read
 * for a 404 (a missing object at a url that is right, UpstreamRequest.ownNotFound) and a 403 (one
 * action the user may not do, not the key refused: OnApp refuses a key 401).
 */
export function isOnappErrorBody(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { errors, error } = body as Record<string, unknown>;
  if (typeof error === 'string') return !isReasonPhrase(error);
  if (Array.isArray(errors)) return errors.length > 0 && !errors.every(isReasonPhrase);
  return errors !== null && typeof errors === 'object';
}

/** The instance list, whose 404 is the url's mistake whatever its body (instance-list-not-found.ts). */
export const ONAPP_INSTANCE_LIST = 'virtual_machines.list';
