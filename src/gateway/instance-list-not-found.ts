import { isGatewayError, providerError } from '../domain/errors.js';

/**
 * A 404 to an account's whole instance list: no such list where the account's url points (a path
 * too many or too few, a web server that is not the API). Told as NOT_FOUND "not found at the
 * provider", it read as a missing instance, and nothing said to look at the url.
 */
export function instanceListNotFound(error: unknown, providerId: string): unknown {
  if (!isGatewayError(error) || error.code !== 'NOT_FOUND') return error;
  return providerError(providerId, `provider ${providerId} answered its instance list with not found (HTTP 404): check the account's url in the config (the API's base URL)`, 'HTTP_404');
}
