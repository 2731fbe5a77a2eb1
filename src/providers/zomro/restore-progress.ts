import type { Operation } from '../../domain/types.js';
import { quotedWord as quoted } from './quoted-word.js';

/**
 * Cloud words (`fotbo_status`) of a VM that a person put in another mode:
 * rescue, booted from an ISO (Fleio's rescue with an ISO image), shelved
 * (Nova's `shelved` and `shelved_offloaded`). They rest: nothing ends them
 * but a person in the panel, and Nova rebuilds only an active, stopped or
 * errored server, so a rebuild asked of one does not run while it lasts.
 * Waiting for the give-up limit would only put off the news: they end the
 * restore FAILED as soon as a resting word is read (once settled), each
 * with words saying what the person has to end.
 */
const NEEDS_A_PERSON: ReadonlyMap<string, string> = new Map([
  ['rescued', 'in rescue mode'],
  ['booted_from_iso', 'booted from an ISO image'],
  ['shelved', 'shelved'],
  ['shelved_offloaded', 'shelved'],
]);

/**
 * Words of an instance at rest after a rebuild: active and stopped (`instance_status`, and
 * `fotbo_status` in the panel's words), and SHUTOFF, OpenStack's status of a stopped server, where
 * the panel passes its cloud's words on (as it does REBUILD and ERROR; ACTIVE is `active`). Nova
 * rebuilds a stopped server and leaves it stopped: without SHUTOFF a restore into one read RUNNING
 * until restoreGiveUpMs, then FAILED "has not come to rest".
 */
const RESTING: ReadonlySet<string> = new Set(['active', 'stopped', 'shutoff']);

/**
 * The instance's state word (`fotbo_status`, else `instance_status`; see
 * mapper.ts `instanceStateWord`) after a rebuild. `fotbo_status` says
 * `rebuilding` while the cloud rebuilds (Zomro panel src); the documented
 * `instance_status` words (`active | stopped | verify_resize | suspend`) have
 * none. Any word not at rest (rebuilding, OpenStack's REBUILD, one nobody
 * documents) is a rebuild still running; a resting word (active, stopped) is
 * finished only once `settled` (restoreSettleMs after the request), since it
 * may be the state from before the rebuild started. `suspend` ends it: a
 * suspended service is not rebuilt. A word of a mode only a person ends
 * (NEEDS_A_PERSON) ends it FAILED once settled.
 *
 * `gaveUpAfterMs` is set once the restore's give-up limit (restoreGiveUpMs)
 * has passed: a word still not at rest then ends it FAILED, naming the word,
 * rather than RUNNING for ever.
 */
export function restoreProgress(state: string | null, settled: boolean, gaveUpAfterMs: number | null = null): [Operation['status'], string | null] {
  const shown = (state ?? '').trim();
  const word = shown.toLowerCase();
  if (word === 'suspend' || word === 'suspended') return ['FAILED', 'the instance is suspended'];
  if (inErrorState(state)) return ['FAILED', `the instance is in an error state (${quoted(shown)})`];
  if (RESTING.has(word)) return settled ? ['SUCCEEDED', null] : ['RUNNING', null];
  const mode = NEEDS_A_PERSON.get(word);
  if (mode !== undefined && settled) return ['FAILED', `the instance is ${mode} (${quoted(shown)}), which only a person ends in the panel; the rebuild does not run until then: end it and restore again`];
  if (gaveUpAfterMs !== null) {
    const limit = `${Math.round(gaveUpAfterMs / 60_000)} minutes`;
    return ['FAILED', shown === '' ? `the instance showed no state word for ${limit} after the restore` : `the instance has not come to rest within ${limit} of the restore: it still shows ${quoted(shown)}`];
  }
  // verify_resize, rebuild words and anything undocumented: not at rest yet.
  return ['RUNNING', null];
}

/** Whether the state word is an error state (OpenStack's ERROR, a panel's `error`): a rebuild that ended so failed. */
export function inErrorState(state: string | null): boolean {
  return (state ?? '').trim().toLowerCase().includes('error');
}

export { rebuilding } from './busy-instance.js';
