import { badInput, conflict, shuttingDown, storeUnavailable } from '../../domain/errors.js';
import type { CreateOrder, PlaceState } from '../../state/create-order.js';
import type { PlaceLease } from '../../state/place-lease.js';
import { awaitTurn } from '../../state/place-turn.js';
import { placeOfToken } from './token-place.js';

/** The store namespace of restores' places (`restore-order:` in Redis), apart from creates' `create-order:`. */
export const RESTORE_ORDER_NAMESPACE = 'restore-order';

/**
 * A restore's place among the restores of its VM that read the same watermark, the token's
 * second part: [newestBefore, place]. Operation ids made before places have none: the first.
 */
export function restorePlaceInToken(token: readonly string[]): number {
  return placeOfToken(token[1], 'the restores of its virtual server');
}

/**
 * A restore's operation id token: its series' watermark and its place, then the newest transaction
 * it read itself where that is newer: the VM's newest once its POST was answered (noted beside its
 * place), else the newest before its POST (it joined an older series; ids of earlier versions carry
 * only this one). Its transaction is looked for up to there (see findRestoreCandidates). Tokens
 * without it read the watermark, as before.
 */
export function restoreToken(newestBefore: number, place: number, readBefore: number): string[] {
  const token = [String(newestBefore), String(place)];
  return readBefore > newestBefore ? [...token, String(readBefore)] : token;
}

/**
 * The newest transaction a restore read itself (the token's third part, see restoreToken), the
 * watermark where the token has none. One spelling per value, above the watermark: another would
 * give one operation a second id, and a poll loop of its own.
 */
export function restoreReadInToken(token: readonly string[], newestBefore: number): number {
  const text = token[2];
  if (text === undefined) return newestBefore;
  const read = /^[1-9]\d{0,15}$/.test(text) ? Number(text) : 0;
  if (!Number.isSafeInteger(read) || read <= newestBefore) throw badInput('operation id has no valid newest transaction read by the restore');
  return read;
}

/**
 * What the gateway writes beside a restore's place (see the adapter's noteRestoreReach) for polls to
 * match an operation id against: the newest transaction it read itself, the watermark where that
 * is the same (the series is in the key: `<account>:<vm>:<watermark>`).
 */
export const reachNote = (newestBefore: number, readBefore: number): string => String(Math.max(newestBefore, readBefore));

/** The restores asked before one: those that reached OnApp, and those that may have. */
export interface RestoresBefore {
  /** Their POST was answered (or their place is no longer held: its restore was sent). */
  readonly sent: number;
  /** Their POST failed in a way that may have reached OnApp (a cut connection, a timeout). */
  readonly uncertain: number;
}

/**
 * The restores before place `place` that made, or may have made, a transaction: every place before
 * it but those given up (their POST failed or was refused, so OnApp queued nothing for them). A
 * place no longer held (past its 30 minutes) still counts as sent, as its restore was.
 */
export function restoresBeforePlace(states: readonly PlaceState[], place: number): RestoresBefore {
  const before = states.slice(0, place - 1);
  const uncertain = before.filter((state) => state === 'uncertain').length;
  return { sent: before.filter((state) => state !== 'given-up').length - uncertain, uncertain };
}

/**
 * Longest a restore waits for the restores before it in its series to be sent: an earlier POST
 * takes up to the upstream timeout (10 s by default; writes are not retried), after its own wait.
 * At least: see restoreTurnWaitMs.
 */
export const RESTORE_TURN_WAIT_MS = 30_000;

/** Past the lease's time: the next read after an earlier place's lease lapses comes within this. */
const LAPSE_SEEN_MS = 1_000;

/**
 * How long a restore whose places are leased for `leaseMs` waits for its turn: RESTORE_TURN_WAIT_MS,
 * or longer than a lease where that is longer (an account's `timeoutMs` past 26 s). An earlier place
 * whose replica died lapses within its lease, and one alive is sent within it (its POST's timeout):
 * a wait of 30 s beside a lease of 63 s refused every restore of the VM CONFLICT until that dead
 * place lapsed, and a POST of 40 s the one after it, though the POST was answered in time.
 */
export function restoreTurnWaitMs(leaseMs: number): number {
  return Math.max(RESTORE_TURN_WAIT_MS, leaseMs + LAPSE_SEEN_MS);
}

/** A restore's place in its series, and what its wait for its turn needs. */
export interface RestoreTurn {
  readonly order: CreateOrder;
  readonly series: string;
  readonly place: number;
  /** The place's lease, renewed meanwhile: confirmed alive before the POST. */
  readonly lease: PlaceLease;
  /** When a place before it found abandoned (its lease lapsed) settles, as an uncertain POST's. */
  readonly settlesAfterMs: number;
  readonly accountId: string;
  /** The request's: its client gone, the restore is not POSTed. */
  readonly signal?: AbortSignal | undefined;
  /** The gateway's, aborted as it begins to stop: a restore still waiting then is not POSTed. */
  readonly draining?: AbortSignal | undefined;
}

/**
 * Returns once every earlier place of the series has sent its POST and been answered, given up, or
 * may have reached OnApp (marked uncertain, or its lease lapsed: its replica gone before marking
 * it), and this place's own lease is still alive: only then may this restore POST. The n-th place
 * is told the n-th transaction, which holds only while OnApp gets the POSTs in place order; sent at
 * once, a POST that reached OnApp before an earlier place's (another replica, or the same one over
 * another connection) made the older transaction, and each restore was told the other's outcome.
 * Otherwise the place is given up (nothing was sent) and the restore refused: STORE_UNAVAILABLE
 * when the store does not answer a read in time, CONFLICT when an earlier place is still unsent
 * after its wait (restoreTurnWaitMs: its POST slow), when this place's own lease lapsed (a later place may
 * have read it as abandoned and POSTed), or when `signal` aborts first: its client left, and the
 * restore it would retry must not be POSTed twice. SHUTTING_DOWN when the gateway begins to stop
 * (`draining`) while it still waits: the drain would wait for it until it cut the request with no
 * answer (exit 1), and a client told nothing was sent sends it again to another replica.
 */
export async function waitForRestoreTurn(turn: RestoreTurn): Promise<void> {
  const { order, series, place, lease, accountId } = turn;
  const waitMs = restoreTurnWaitMs(lease.ttlMs);
  const ended = await awaitTurn(() => order.statesBefore(series, place, turn.settlesAfterMs), waitMs, undefined, turn.signal, turn.draining);
  // Renewed for its whole time just before the POST, which the renewals then keep covering.
  const leased = ended === 'turn' ? await lease.renew() : undefined;
  // A client gone while the renewal was out is gone before the POST: nothing is sent for nobody.
  const left = ended === 'left' || turn.signal?.aborted === true;
  if (leased === true && !left) return;
  await order.giveUp(series, place);
  if (ended === 'draining') {
    throw shuttingDown('this replica of the gateway began to stop while this restore waited for the restores of its virtual server asked before it: nothing was sent to OnApp; send it again (another replica takes it)', accountId);
  }
  if (left) {
    throw conflict('the request ended while this restore waited for the restores of its virtual server asked before it: nothing was sent to OnApp; send it again', accountId);
  }
  if (ended === 'unanswered' || (ended === 'turn' && leased === undefined)) {
    throw storeUnavailable('the shared store did not answer in time, so this restore could not tell whether the restores of its virtual server asked before it were sent: nothing was sent to OnApp; send it again', accountId);
  }
  if (ended === 'turn') {
    throw conflict('this restore\'s place among the restores of its virtual server was not renewed in time, so a later restore may have gone ahead of it: nothing was sent to OnApp; send it again', accountId);
  }
  throw conflict(`a restore of this virtual server asked just before this one was still being sent to OnApp after ${Math.round(waitMs / 1000)} s, and OnApp must get them in order: nothing was sent; send it again`, accountId);
}
