import { providerError, type GatewayError } from '../../domain/errors.js';
import type { MisdirectedAccount } from '../http-errors.js';

/**
 * The VM list answered 2xx, but not as Danube does (`{"status": "SUCCESS", "result": [...]}`, its
 * result `[]` when empty): a page of HTML, a blank body, or another API's JSON (another account's url
 * pasted in, a web server or sign-in page in front). It said "sent an answer that is not JSON",
 * "answered without Danube's status" or "answered a list read without a list" with no next step, and
 * health read UP while every list failed so. Every read starts at the VM list, so the url is the
 * likely mistake. The other server's words are not repeated.
 */
export function instanceListElsewhere(account: MisdirectedAccount): GatewayError {
  account.answeredByAnotherServer();
  return providerError(
    account.providerId,
    `provider ${account.providerId} answered its VM list without Danube's list, so its url likely points at another server: check that the account's url in the config is Danube's API base (its path usually ends in /api; Danube lists VMs at its /vm/)`,
    'INVALID_RESPONSE',
  );
}
