/**
 * Whether a 404's body is OnApp's own: one of the error shapes its API answers ("Errors come as 422
 * or 404 with {"errors":{field:[msgs]}} or {"errors":[…]}; some endpoints use "error"", providers.md,
 * read from OnApp's client libraries). A web server's HTML or empty 404 (null here), or another
 * API's JSON (`{"detail": ...}`), is not: the url still points at no OnApp.
 */
export function isOnappNotFound(body: unknown): boolean {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { errors, error } = body as Record<string, unknown>;
  if (typeof error === 'string') return true;
  return errors !== null && typeof errors === 'object';
}

/** The instance list, whose 404 is the url's mistake whatever its body (instance-list-not-found.ts). */
export const ONAPP_INSTANCE_LIST = 'virtual_machines.list';
