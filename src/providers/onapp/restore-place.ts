import type { PlaceState } from '../../state/create-order.js';
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
