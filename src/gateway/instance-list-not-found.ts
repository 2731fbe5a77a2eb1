import { isGatewayError, providerError } from '../domain/errors.js';
import type { MisdirectedAccount } from '../providers/http-errors.js';

/**
 * A 404 to an account's whole instance list: no such list where the account's url points (a path
 * too many or too few, a web server that is not the API). Told as NOT_FOUND "not found at the
 * provider", it read as a missing instance, and nothing said to look at the url. Health reads
 * DEGRADED (cause `other`) until a call is answered: it read UP while every list failed so.
 */
export function instanceListNotFound(error: unknown, account: MisdirectedAccount): unknown {
  if (!isGatewayError(error) || error.code !== 'NOT_FOUND') return error;
  account.answeredByAnotherServer();
  return providerError(account.providerId, `provider ${account.providerId} answered its instance list with not found (HTTP 404): check the account's url in the config (the API's base URL)`, 'HTTP_404');
}
