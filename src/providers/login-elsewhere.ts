import { providerError, type GatewayError } from '../domain/errors.js';
import type { MisdirectedAccount } from './http-errors.js';

/** What a provider's login answers with, and where its url should point, for the message below. */
export interface LoginShape {
  /** What the login answers when it works, e.g. "Danube's token". */
  readonly answersWith: string;
  /** Where the account's url should point, and the login path under it. */
  readonly urlHint: string;
}

/**
 * The login answered 2xx, but not as the provider does: a page of HTML or another API's JSON (a web
 * server or sign-in page in front, another account's url pasted in). It said "sent an answer that is
 * not JSON", or the first call's own words (the login runs inside it), or "refused the gateway's
 * login" though nothing refused the credentials. No hold, as for a refusal: a url put right works at
 * the next call. The other server's words are not repeated.
 */
export function loginElsewhere(account: MisdirectedAccount, login: LoginShape): GatewayError {
  account.answeredByAnotherServer();
  return providerError(
    account.providerId,
    `provider ${account.providerId} answered its login without ${login.answersWith}, so its url likely points at another server: check that the account's url in the config is ${login.urlHint}`,
    'INVALID_RESPONSE',
  );
}
