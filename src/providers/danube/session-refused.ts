import type { UpstreamResponse } from '../../upstream/client.js';

/**
 * What Danube says when the token a request carried is no longer a session.
 * esdc-ce's API views list SessionAuthentication first, whose
 * `authenticate_header` is None, so DRF turns every NotAuthenticated and
 * AuthenticationFailed into **403**, not 401 (api/views.py `handle_exception`:
 * "WWW-Authenticate header for 401 responses, else coerce to 403"; the API
 * docs list only "403 Forbidden" on every endpoint). An expired token (an
 * hour after login; ExpireTokenAuthentication returns None) reads
 * "Authentication credentials were not provided."; a token deleted by a
 * later login reads "Invalid token.". Both are renewed by a login.
 *
 * providers.md lists "401/403" for framework errors, and a proxy or another
 * version may answer 401: a 401 is renewed as well. A 403 with any other
 * words ("You do not have permission to perform this action.", "User account
 * is not allowed to access API") is a refusal a new login does not change:
 * renewing on it would cost a login per refused call and, since each login
 * deletes the user's token, break the token other requests are using.
 */
const SESSION_WORDS = /^\s*(authentication credentials were not provided|incorrect authentication credentials|invalid token)\b/i;

export function isSessionRefused(response: UpstreamResponse): boolean {
  if (response.status === 401) return true;
  if (response.status !== 403) return false;
  const detail = (response.body as { detail?: unknown } | null)?.detail;
  return typeof detail === 'string' && SESSION_WORDS.test(detail);
}

/**
 * Danube refusing the configured API key itself (esdc-ce's `es-api-key` authentication fails
 * with AuthenticationFailed "Invalid API key", coerced to 403 as above), or any refusal of the
 * credentials a session would be renewed for: a 403 for a permission one action lacks is not.
 */
const API_KEY_WORDS = /^\s*invalid api key\b/i;

export function isApiKeyRefused(response: UpstreamResponse): boolean {
  if (isSessionRefused(response)) return true;
  const detail = (response.body as { detail?: unknown } | null)?.detail;
  return response.status === 403 && typeof detail === 'string' && API_KEY_WORDS.test(detail);
}

/**
 * esdc-ce's PermissionDenied ("You do not have permission to perform this action.", api/exceptions.py
 * and DRF's own), raised by one view's permission check once the key or token was accepted: an
 * action the user may not do (an admin's, another owner's VM), the rest of the account's calls
 * answered. Not "User account is not allowed to access API" (every call refused), a refused key or
 * session (above), nor a 403 of other words or none (a proxy's): those stay the credentials'. The
 * gateway asks for English (client.ts), so the words are these.
 */
const PERMISSION_WORDS = /^\s*you do not have permission to perform this action\b/i;

export function refusesOneAction(body: unknown): boolean {
  const detail = body !== null && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined;
  return typeof detail === 'string' && PERMISSION_WORDS.test(detail);
}
