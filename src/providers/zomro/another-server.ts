import { providerError, type GatewayError } from '../../domain/errors.js';

/**
 * BILLmanager answers every call, its refusals too, HTTP 200 with a `doc` (its errors are
 * `doc.error`). An answer without one (a 404, a 401 of a web server's own login, a page of HTML)
 * comes from another server at the account's url: "answered HTTP 401 without a BILLmanager
 * document" alone gave no next step. Only the status: the other server's words are not repeated.
 */
export function anotherServerAnswered(provider: string, status: number, providerCode: string): GatewayError {
  return providerError(
    provider,
    `provider ${provider} answered HTTP ${status} without a BILLmanager document, so its url likely points at another server: check that the account's url in the config is BILLmanager's (its path usually ends in /billmgr)`,
    providerCode,
  );
}
