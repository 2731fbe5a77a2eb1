/**
 * Whether an error answer's body is OnApp's own: one of the error shapes its API answers ("Errors
 * come as 422 or 404 with {"errors":{field:[msgs]}} or {"errors":[…]}; some endpoints use
 * "error"", providers.md, read from OnApp's client libraries). A web server's or proxy's HTML,
 * plain-text or empty answer (null here), or another API's JSON (`{"detail": ...}`), is not. Read
 * for a 404 (a missing object at a url that is right, UpstreamRequest.ownNotFound) and a 403 (one
 * action the user may not do, not the key refused: OnApp refuses a key 401).
 */
export function isOnappErrorBody(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { errors, error } = body as Record<string, unknown>;
  if (typeof error === 'string') return true;
  return errors !== null && typeof errors === 'object';
}

/** The instance list, whose 404 is the url's mistake whatever its body (instance-list-not-found.ts). */
export const ONAPP_INSTANCE_LIST = 'virtual_machines.list';
