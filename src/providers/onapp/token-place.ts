import { badInput } from '../../domain/errors.js';
import { MOST_OVERLAPPING_CREATES } from '../../state/create-order.js';

/**
 * An operation's place, as its id's token writes it (`text`), among the operations it was
 * ordered with (`among`, for the refusal). Operation ids made before places have none: the first.
 */
export function placeOfToken(text: string | undefined, among: string): number {
  if (text === undefined) return 1;
  // One spelling per place: "01" would give one operation a second id, and a poll loop of its own.
  const place = /^[1-9]\d{0,2}$/.test(text) ? Number(text) : 0;
  if (place < 1 || place > MOST_OVERLAPPING_CREATES) throw badInput(`operation id has no valid place among ${among}`);
  return place;
}
