import { clipProviderMessage } from '../domain/errors.js';
import { MUTATION_STORE_WAIT_MS, answerWithinMs, withinMsTelling, type StoreFailed } from './bounded-call.js';
import type { KeyValueStore } from './store.js';

/** The store namespace of Zomro restores' outcomes (`restore-outcome:` in Redis). */
export const RESTORE_OUTCOMES_NAMESPACE = 'restore-outcome';
/**
 * How long a restore's mark and outcome are kept: as long as the gateway
 * follows its operations (the idempotency records' and finish times' 24 h),
 * never longer, so under Redis's volatile-ttl eviction it cannot outlast the
 * records a retry depends on.
 */
export const OUTCOME_KEPT_MS = 24 * 60 * 60 * 1000;
/** A slow or unreachable store must not hold a poll: past this the store counts as unanswered. */
export const OUTCOME_STORE_WAIT_MS = 250;

/** The longest kept failure text: the gateway's own messages run past a provider message's 300 characters. */
const KEPT_MESSAGE_LENGTH = 1_000;

const OPEN = 'open';
const SUCCEEDED = 'succeeded';
const FAILED = 'failed:';

/** A finished operation's status and, when FAILED, why. */
export interface Outcome {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly error: string | null;
}

/**
 * What the store says of an operation: `open` when a mutation of this
 * gateway (any replica sharing the store) started it and no poll has kept an
 * outcome yet, the outcome once one has, `unmarked` when nothing is stored
 * (an operation id made up, one older than the marks, a mark evicted or
 * expired), `unanswered` when the store failed or did not answer in time.
 */
export type KeptOutcome = 'open' | 'unmarked' | 'unanswered' | Outcome;

/**
 * Takes a store write that failed, to send it again until it lands or `keepMs` has passed (the
 * gateway hands it to the started-operations record's queue, late-invalidations.ts); `key` names
 * it there, a later write under the same key replacing it.
 */
export type SendAgain = (key: string, write: () => Promise<void>, keepMs: number) => void;

/**
 * The first outcome a poll read of an operation the gateway started, kept
 * so that every later poll, on every replica, answers the same one: an
 * operation whose outcome is read from state that goes on changing (a Zomro
 * restore from its instance's word and whether its backup is still there)
 * must never change its terminal status once a client has seen it.
 *
 * Only a mutation writes a mark (`started`): an operation id is the client's
 * to make up, and polls of made-up ids would fill the store otherwise. An
 * outcome goes in a key of its own beside the mark by setIfAbsent, so the
 * first one kept stays whatever another replica read after it; a poll
 * answers a terminal status only once it is kept (its own, or the one
 * another poll kept first).
 */
export class KeptOutcomes {
  constructor(
    private readonly store: KeyValueStore,
    /** Told of each failure or wait run out (`restore_outcomes` in the store-failure count). */
    private readonly storeFailed: StoreFailed = () => {},
    /** Where a mark the store did not take goes to be sent again (none: it is lost, as the memory store never fails). */
    private readonly sendAgain: SendAgain = () => {},
  ) {}

  private within<T>(call: Promise<T>): Promise<T | undefined> {
    return withinMsTelling(call, OUTCOME_STORE_WAIT_MS, this.storeFailed);
  }

  /**
   * Marks an operation a mutation started, before the mutation answers; never fails the mutation
   * (unmarked, a Zomro restore's polls read NOT_FOUND: docs/security.md). Waited for as long as
   * the mutation's other store writes (MUTATION_STORE_WAIT_MS): at a poll's 250 ms, a Redis blip
   * sent the answer before the mark landed, and a poll at once, on any replica, read NOT_FOUND.
   * A mark the store does not take in time is told and sent again (`sendAgain`): left, the
   * restore's polls read NOT_FOUND for its whole life. setIfAbsent, so a first write that landed
   * late is left as it is.
   */
  async started(key: string): Promise<void> {
    const write = async (): Promise<void> => {
      await answerWithinMs(this.store.setIfAbsent(key, OPEN, OUTCOME_KEPT_MS), MUTATION_STORE_WAIT_MS);
    };
    try {
      await write();
    } catch (error) {
      this.storeFailed(error);
      this.sendAgain(key, write, OUTCOME_KEPT_MS);
    }
  }

  async of(key: string): Promise<KeptOutcome> {
    const answer = await this.within(this.store.getMany<unknown>([key, outcomeKey(key)]));
    if (answer === undefined) return 'unanswered';
    const [mark, kept] = answer;
    const outcome = outcomeOf(kept);
    if (outcome) return outcome;
    return mark === undefined || mark === null ? 'unmarked' : 'open';
  }

  /**
   * Keeps `outcome` unless another poll kept one first: the outcome kept, or undefined when the
   * store did not answer in time (the poll then answers no terminal status: none was kept).
   */
  async keep(key: string, outcome: Outcome): Promise<Outcome | undefined> {
    const value = outcome.status === 'SUCCEEDED' ? SUCCEEDED : `${FAILED}${outcome.error ?? ''}`;
    const set = await this.within(this.store.setIfAbsent(outcomeKey(key), value, OUTCOME_KEPT_MS));
    // Answered as it is read back, so this poll and every later one say the same.
    if (set === true) return outcomeOf(value) ?? undefined;
    if (set === undefined) return undefined;
    const first = await this.within(this.store.get<unknown>(outcomeKey(key)));
    const firstOutcome = outcomeOf(first);
    if (firstOutcome) return firstOutcome;
    // A value of a shape no poll of this version keeps (a hand edit): no client was told it, so it
    // is replaced, only as read (two polls replacing it at once keep one outcome).
    if (first === undefined) return undefined;
    const replaced = await this.within(this.store.replaceIfEqual(outcomeKey(key), first, value, OUTCOME_KEPT_MS));
    return replaced === true ? (outcomeOf(value) ?? undefined) : undefined;
  }
}

/** Where an operation's outcome is kept; a mark's key (JSON) ends in "]", so no mark's key is another's outcome. */
const outcomeKey = (key: string): string => `${key}#outcome`;

/**
 * A stored value as an outcome, or null for anything else. A failure's text
 * becomes the operation's `error` as it is: another writer's is held to what
 * a provider's message may be (one line of at most 300 characters, no
 * control characters).
 */
export function outcomeOf(stored: unknown): Outcome | null {
  if (stored === SUCCEEDED) return { status: 'SUCCEEDED', error: null };
  if (typeof stored !== 'string' || !stored.startsWith(FAILED)) return null;
  const text = stored.slice(FAILED.length);
  return { status: 'FAILED', error: text === '' ? null : clipProviderMessage(text, undefined, KEPT_MESSAGE_LENGTH) };
}
