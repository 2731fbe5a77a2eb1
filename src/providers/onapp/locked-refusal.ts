import { GatewayError } from '../../domain/errors.js';
import { wordsBeforeScrub } from '../scrubbed-error.js';

/**
 * OnApp refuses an action on what is `locked` with a 422 in one of its error shapes: `{"errors":
 * {"base": [...]}}` or `{"error": "..."}` (the simulator answers a create with the first, a
 * restore with the second: which shape each endpoint uses is not documented, so both are read).
 * Whose lock it is, the documents leave open: `locked` is a VM field, and a backup's `locked` is
 * "true if the storage server backed up has been locked", the words its `built` (the backup's
 * own) has too. Both readings: the message names neither alone. Read as PROVIDER_ERROR "base
 * Virtual server is locked", it told a client neither that nothing was done nor that it passes:
 * CONFLICT, as Danube's 423 Locked, with what to do. The documents give no words for it: a
 * message naming `locked` as a whole word is taken as one. No `retryAfterSeconds`: OnApp says
 * nothing of when its transaction ends.
 */
const LOCKED = /\blocked\b/i;

const NEXT_STEP =
  'OnApp acts on no locked virtual server or backup, and a transaction (a backup being taken, a restore) holds one while it runs: nothing was done; send it again once that transaction ends (the instance no longer reads BUSY)';

/**
 * The same refusal answering a read (a GET). OnApp's documents say a list read returns its array,
 * "If there are no backups, an empty array is returned", lock or not (the VM and each backup carry
 * `locked`), so this reading is not documented; coded for a panel that refuses anyway. Told as a
 * write's, a dashboard's list said "nothing was done; send it again": a read does nothing, and the
 * client sent no action to repeat. Still CONFLICT (the provider's state forbids it, and it passes).
 */
const NEXT_READ =
  'OnApp refused to read this locked virtual server while a transaction (a backup being taken, a restore) holds it; reading changes nothing: read it again once that transaction ends (the instance no longer reads BUSY)';

/** CONFLICT for OnApp's refusal of what is locked, given its words (errorMessage) and whether it answered a read; null for any other 422. */
export function lockedRefusal(provider: string, words: string, read = false): GatewayError | null {
  if (!LOCKED.test(words)) return null;
  // Rails' whole-record key is no field: its full message has no field name before the words.
  return new GatewayError('CONFLICT', wordsBeforeScrub(`${words.replace(/^base /, '')}: ${read ? NEXT_READ : NEXT_STEP}`), { provider, providerCode: 'HTTP_422' });
}
