import { providerError, type GatewayError } from '../../domain/errors.js';
import type { MisdirectedAccount } from '../http-errors.js';

/**
 * The VM list answered, but not as OnApp does (its list is a JSON array, `[]` when empty): a page of
 * HTML or another API's JSON at the account's url, the panel's sign-in page or another account's
 * address pasted in. It said "sent an answer that is not JSON" or "answered a list read without a
 * list" with no next step, and health read UP while every list failed so. The other server's words
 * are not repeated.
 */
export function instanceListElsewhere(account: MisdirectedAccount): GatewayError {
  account.answeredByAnotherServer();
  return providerError(
    account.providerId,
    `provider ${account.providerId} answered its VM list without OnApp's JSON list, so its url likely points at another server: check that the account's url in the config is the OnApp control panel's address (OnApp's API answers at its /virtual_machines.json)`,
    'INVALID_RESPONSE',
  );
}
