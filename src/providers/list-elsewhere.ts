import { providerError, type GatewayError } from '../domain/errors.js';
import type { MisdirectedAccount } from './http-errors.js';

/** What a provider's VM list answers with, and where its url should point, for the message below. */
export interface ListShape {
  /** What the list is when it works, e.g. "OnApp's JSON list". */
  readonly answersWith: string;
  /** Where the account's url should point, and the list's path under it. */
  readonly urlHint: string;
}

/**
 * The VM list answered, but not as the provider does: a page of HTML, a blank body or another
 * API's JSON at the account's url (a sign-in page or web server in front, another account's url
 * pasted in). It said "sent an answer that is not JSON", "answered a list read without a list" or
 * the envelope's words with no next step, and health read UP while every list failed so. Every
 * read starts at the VM list, so the url is the likely mistake. The other server's words are not
 * repeated. One shape per provider (onapp/client.ts, danube/client.ts), as login-elsewhere.ts.
 */
export function instanceListElsewhere(account: MisdirectedAccount, list: ListShape): GatewayError {
  account.answeredByAnotherServer();
  return providerError(
    account.providerId,
    `provider ${account.providerId} answered its VM list without ${list.answersWith}, so its url likely points at another server: check that the account's url in the config is ${list.urlHint}`,
    'INVALID_RESPONSE',
  );
}
