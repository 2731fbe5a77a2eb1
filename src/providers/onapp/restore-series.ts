import { conflict, storeUnavailable } from '../../domain/errors.js';
import { MOST_OVERLAPPING_CREATES, type CreateOrder } from '../../state/create-order.js';
import type { PlaceLease } from '../../state/place-lease.js';
import { restoresListedAbove, type TransactionRow } from './restore-transaction.js';

/** Most looks for the series to join: each after the VM's series changed under the restore. */
const MOST_JOIN_LOOKS = 4;

/** A restore's place, in the series its VM's restores under way share. */
export interface RestorePlacement {
  /** The series' watermark: the operation id's, and what the restore's transaction is counted above. */
  readonly newestBefore: number;
  readonly series: string;
  readonly place: number;
  /** Open, renewed until stop(): the caller stops it once the place is marked. */
  readonly lease: PlaceLease;
}

/** What a restore joins its VM's series with. */
export interface RestoreJoin {
  readonly order: CreateOrder;
  /** The VM's restores (`<account>:<vm>`): their current series is kept at `<group>:series`. */
  readonly group: string;
  /** The restore's own watermark: the VM's newest transaction listed before its request. */
  readonly read: number;
  /** The page of the VM's transactions it was read from (newest first). */
  readonly listed: readonly TransactionRow[];
  readonly seriesOf: (watermark: number) => string;
  /** How long a place, and the VM's current series, are held (an unseen restore's 30 minutes). */
  readonly heldMs: number;
  readonly leaseMs: number;
  readonly accountId: string;
}

/**
 * This restore's place among the restores of its VM under way: in the series they share (named by
 * the watermark of the restore that started it), not in one of its own watermark. A transaction of
 * another kind (a reboot, a backup) listed while an earlier restore's POST was on its way gave the
 * next restore a watermark of its own, a series of its own whose place 1 POSTed at once, and each
 * took the first restore transaction above its own watermark: where they name only the VM, the
 * earlier one was told the later one's outcome. Joined, it waits for the earlier places, and is
 * counted after them above the older watermark (its own transaction is above that one too).
 *
 * A series with no place held is joined only when its watermark is not below this restore's:
 * what its places made may be listed below this restore's watermark, and counted by nobody then.
 * The VM's series then moves to this restore's watermark, only while no place was taken in it
 * since the pointer was read (each take confirms the series by a keep that writes the pointer
 * anew, so a move read before it fails); a take whose series moved before its keep gives its
 * place up and joins the new series. Uncertain places are settled only by a restore whose own
 * watermark is the series' (OnApp lists nothing since it began, see CreateOrder.settleUncertain).
 *
 * Refused before its POST, nothing sent: STORE_UNAVAILABLE when the store does not answer in
 * time, CONFLICT when the series is full or changed under it at each look.
 */
export async function joinRestoreSeries(join: RestoreJoin): Promise<RestorePlacement> {
  const { order, read, accountId } = join;
  const current = order.current(join.group, join.heldMs);
  for (let look = 0; look < MOST_JOIN_LOOKS; look += 1) {
    const pointer = await current.read();
    if (pointer === 'unanswered') throw placeUnanswered(accountId);
    if (pointer.value === undefined) {
      const started = await current.start(read);
      if (started === undefined) throw placeUnanswered(accountId);
      if (!started) continue;
    } else if (pointer.mark === undefined) {
      // A value naming no series (a hand edit): replaced, as a series no place is held in.
      if ((await current.move(pointer.value, read)) === undefined) throw placeUnanswered(accountId);
      continue;
    }
    const watermark = pointer.mark ?? read;
    const series = join.seriesOf(watermark);
    if (watermark < read && (await allListed(join, series, watermark))) {
      if ((await current.move(pointer.value, read)) === undefined) throw placeUnanswered(accountId);
      continue;
    }
    const lease = order.lease(series, join.leaseMs);
    const placed = await takeIn(join, series, lease, watermark);
    if (placed === 'empty') {
      lease.stop();
      if ((await current.move(pointer.value, read)) === undefined) throw placeUnanswered(accountId);
      continue;
    }
    const kept = await current.keep(watermark);
    if (kept === true) return { newestBefore: watermark, series, place: placed, lease };
    lease.stop();
    await order.giveUp(series, placed);
    if (kept === undefined) throw placeUnanswered(accountId);
  }
  throw conflict('the restores of this virtual server under way changed while this one took its place among them: nothing was sent to OnApp; send it again', accountId);
}

/**
 * Whether every restore of `series` is done with: none in flight (each sent, given up, or its lease
 * lapsed) and as many restore transactions listed above its watermark, on the page this restore
 * read (at least these are listed: one pushed further down is not counted), as its places that may
 * have made one. Then all it made is listed, at or below this restore's own watermark, and the VM's
 * series may move on (a restore from OnApp's panel is counted as one of them: such restores are
 * never told apart from the gateway's): joined, a VM restored again and again (each one
 * finished) kept the first one's watermark for as long as restores followed within 30 minutes,
 * and each poll looked for its transaction ever further above it.
 */
async function allListed(join: RestoreJoin, series: string, watermark: number): Promise<boolean> {
  const claims = await join.order.claimsUpTo([], series, MOST_OVERLAPPING_CREATES);
  if (claims === undefined) throw placeUnanswered(join.accountId);
  const places = claims.at(-1) ?? [];
  if (places.includes('open')) return false;
  const last = places.findLastIndex((state) => state !== 'unheld');
  return places.slice(0, last + 1).filter((state) => state !== 'given-up').length <= restoresListedAbove(join.listed, watermark);
}

/** A place in `series` (see joinRestoreSeries), `empty` when its watermark is below the restore's and no place is held; refusals thrown, the lease stopped. */
async function takeIn(join: RestoreJoin, series: string, lease: PlaceLease, watermark: number): Promise<number | 'empty'> {
  const taking = (await lease.open()) ? await join.order.join(series, join.heldMs, lease, { firstPlace: watermark >= join.read, settles: watermark === join.read }) : 'unanswered';
  if (taking === 'unanswered' || taking === 'full') lease.stop();
  if (taking === 'unanswered') throw placeUnanswered(join.accountId);
  if (taking === 'full') {
    throw conflict(`${MOST_OVERLAPPING_CREATES} restores of this virtual server are being asked already: try again once OnApp lists them, or once the last one's ${join.heldMs / 60_000} minutes have passed`, join.accountId);
  }
  return taking;
}

/**
 * Gone ahead placeless a restore read as the first, and beside the restore holding place 1 would
 * report that one's outcome: refused before its POST, as a create is.
 */
const placeUnanswered = (accountId: string) =>
  storeUnavailable('the shared store did not answer in time, so this restore could not take its place among the restores of its virtual server: nothing was sent to OnApp; send it again', accountId);
