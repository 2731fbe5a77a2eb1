import { providerError, type GatewayError } from '../../domain/errors.js';
import type { MisdirectedAccount } from '../http-errors.js';

/**
 * The login answered 2xx, but not as Danube does (`{"token": ..., "expires": ...}`): a page of HTML or
 * another API's JSON (a web server or sign-in page in front, another account's url pasted in). It said
 * "sent an answer that is not JSON", or "answered its VM list without Danube's list" (the login runs
 * inside the account's first call), or "refused the gateway's login" though nothing refused the
 * credentials. No hold, as for a refusal: a url put right works at the next call. The other server's
 * words are not repeated.
 */
export function loginElsewhere(account: MisdirectedAccount): GatewayError {
  account.answeredByAnotherServer();
  return providerError(
    account.providerId,
    `provider ${account.providerId} answered its login without Danube's token, so its url likely points at another server: check that the account's url in the config is Danube's API base (its path usually ends in /api; Danube logs in at its /accounts/login/)`,
    'INVALID_RESPONSE',
  );
}
