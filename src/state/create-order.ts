import { randomUUID } from 'node:crypto';
import { decimalIdOrder } from '../domain/decimal-id.js';
import { MUTATION_STORE_WAIT_MS, withinMs } from './bounded-call.js';
import { CurrentSeries } from './current-series.js';
import { PlaceLease, leaseHolderOf, leaseKey } from './place-lease.js';
import type { KeyValueStore } from './store.js';

/** The store namespace of the places (`create-order:` in Redis), beside `idem:`, `cache:` and `finished:`. */
export const CREATE_ORDER_NAMESPACE = 'create-order';
/** Most creates of one series at once: past this a create is refused before it acts. */
export const MOST_OVERLAPPING_CREATES = 32;
/**
 * Most reads of its series one take makes: each after another caller took the place it tried, or
 * freed the one below it. Past this the series changed under it each time, and it is refused as full.
 */
export const MOST_TAKE_LOOKS = MOST_OVERLAPPING_CREATES;
/** A slow or unreachable store must not hold a poll, or a create's answer after its call: past this the store counts as unanswered. */
export const CREATE_ORDER_STORE_WAIT_MS = 250;
/**
 * Each store call of a take (and of a full series' look at its found places), before the call to
 * the provider: a mutation's wait (see MUTATION_STORE_WAIT_MS). At 250 ms a take whose answer was
 * lost with its connection was refused STORE_UNAVAILABLE whenever ioredis's reconnect and re-sent
 * SET took longer, as it does now and then on a loaded machine, though the store answered.
 */
export const PLACE_TAKE_STORE_WAIT_MS = MUTATION_STORE_WAIT_MS;

/**
 * How long a given-up place is kept: as long as the gateway follows the
 * operations counting it (FINISH_TIME_KEPT_MS, the idempotency records'
 * 24 h; a unit test holds them equal), never longer, so under Redis's
 * volatile-ttl eviction it cannot outlast the records a retry depends on.
 */
export const GIVEN_UP_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * What a held place stores: `taken:` and the take's own id, so a take can tell its own place from
 * another's (see take). Read as any value but the others below: open, as `taken` always was.
 */
const TAKEN = 'taken:';
const GIVEN_UP = 'given-up';
/** Followed by `:` and when the place settles (ms since the epoch; see keepUncertain). */
const UNCERTAIN = 'uncertain';
const FOUND = 'found:';
/** A restore's place whose POST OnApp answered: no longer in flight (see sent). */
const SENT = 'sent';

/**
 * A place in the series (1 first); `full` when every place is held; `unanswered` when the store did
 * not answer a take in time, so the create holds no place it knows of (one it may hold is given up).
 */
export type Taking = number | 'full' | 'unanswered';

/**
 * What a place says about its create: `open` while it is held and may
 * still make a backup, `unheld` when nothing is stored (never taken, or no
 * longer held: counted as open before a place that is, as it always was),
 * `given-up` when its call failed, `uncertain` when its call failed in a way
 * that may have reached the provider (see keepUncertain), `sent` once its
 * call was answered (OnApp's restores mark it so; creates stay `open`),
 * `{ found }` once its operation has found its backup.
 */
export type PlaceState = 'open' | 'sent' | 'unheld' | 'given-up' | 'uncertain' | { readonly found: string };

/**
 * The order of overlapping creates that a provider tells apart only by the
 * order of what they made (OnApp answers a create with no record: each one
 * looks for "the n-th new backup of the disk"). Each create takes a place in
 * its series with an atomic setIfAbsent, so two creates at once, even on two
 * gateway processes sharing Redis, never hold the same place.
 *
 * A series is the creates of one disk that read the same highest backup id
 * before their call. Creates of an older series may still be unlisted when
 * a later series starts, so an operation looks through the older series
 * still open as well (claimsUpTo) and the adapter hands backups out in the
 * order of (highest id, place): see `backupOfCreate`.
 *
 * A create whose call failed gives its place up: it makes no backup, so the
 * places after it must not count it. A place given up while a later one is
 * held stays, marked, for as long as operations are followed; with no later
 * place held it is deleted instead, so failures one after another never
 * fill the series. The place is never taken again, and an operation that
 * has found its backup records it (`found`): it keeps finding the same one.
 * A call that failed after it may have reached the provider can keep its
 * place `uncertain` instead (OnApp's restores do; creates give theirs up):
 * the places after it count it as maybe made, until it settles (see keepUncertain).
 */
export class CreateOrder {
  constructor(
    private readonly store: KeyValueStore,
    /** Told each time the store did not answer a take in time (the gateway logs it). */
    private readonly onUnanswered: () => void = () => {},
  ) {}

  /**
   * The first free place of `series` above its highest held one, held for `heldMs` (as long as the
   * create may stay unmatched): a free place below a held one (its TTL ran out) is never taken
   * again, as its create's call was made. A take that finds its place taken meanwhile, or the
   * place below it freed, reads the series again, at most MOST_TAKE_LOOKS times (then `full`:
   * the series changed under it each time).
   * `older` names the older series the create's operation must look through (the adapter's words:
   * OnApp's backup ids below the highest one read); the series' open mark remembers them, with
   * those of the series' earlier creates (see olderOf).
   * `lease`, opened before the take, makes the place a leased one (see statesBefore).
   */
  async take(series: string, heldMs: number, older: readonly string[] = [], lease?: PlaceLease): Promise<Taking> {
    const taking = await this.takeAbove(series, heldMs, older, lease, { firstPlace: true, settles: true });
    return taking === 'empty' ? 'full' : taking;
  }

  /**
   * As take, for a leased place of a series the caller joins rather than names by its own reading
   * (OnApp's restores: the series a VM's restores under way share, see restore-series.ts). With
   * `firstPlace` false, a series holding no place is not started: `empty`, nothing taken (what
   * its earlier places made may be counted by nobody then). With `settles` false, uncertain places
   * are not settled (see settleUncertain): the caller's provider lists something new since the
   * series began, which may be what such a place made.
   */
  join(series: string, heldMs: number, lease: PlaceLease, options: { readonly firstPlace: boolean; readonly settles: boolean }): Promise<Taking | 'empty'> {
    return this.takeAbove(series, heldMs, [], lease, options);
  }

  private async takeAbove(series: string, heldMs: number, older: readonly string[], lease: PlaceLease | undefined, options: { readonly firstPlace: boolean; readonly settles: boolean }): Promise<Taking | 'empty'> {
    const mine = lease?.placeValue ?? `${TAKEN}${randomUUID()}`;
    for (let look = 0; look < MOST_TAKE_LOOKS; look++) {
      const read = await withinMs(this.store.getMany<unknown>([...placeKeys(series, MOST_OVERLAPPING_CREATES), openKey(series)]), PLACE_TAKE_STORE_WAIT_MS);
      if (read === undefined) return this.unanswered();
      const stored = read.slice(0, MOST_OVERLAPPING_CREATES) as Array<string | undefined>;
      const held = options.settles ? await this.settleUncertain(series, stored) : stored;
      const place = placeAboveHeld(held);
      if (place === undefined) return 'full';
      if (place === 1 && !options.firstPlace) return 'empty';
      // Place 1 has none below it. Any other only while the one below is held, in one step: a
      // place freed between the look and the write (its holder gave it up, no later place held)
      // was left free below this one, counted as a create that made a backup or a restore that
      // was sent, and the next take took it again and sent its call after this one's.
      const write = place === 1 ? this.store.setIfAbsent(placeKey(series, place), mine, heldMs) : this.store.setIfAbsentAbove(placeKey(series, place), placeKey(series, place - 1), mine, heldMs);
      const taken = await withinMs(write, PLACE_TAKE_STORE_WAIT_MS);
      // The take may have landed: the place would be held by no create, and counted by the later ones.
      if (taken === undefined) return this.unansweredHolding(series, place, mine);
      if (!taken) {
        const own = await this.tookItAfterAll(placeKey(series, place), mine);
        // Unread, the place may be this take's own (see tookItAfterAll). Taken for another's, it
        // stayed held by no create and this one took the next: the place counted one create more
        // than made backups, and each create after it was told of the backup of the one before.
        // Kept as this one's, it would be told of another's backup. Neither: given back if it is ours.
        if (own === undefined) return this.unansweredHolding(series, place, mine);
        // Another's, or the place below was freed: the series is read again.
        if (!own) continue;
      }
      const remembered = [...new Set([...rememberedOlder(read[MOST_OVERLAPPING_CREATES]), ...older])].slice(-MOST_OLDER_REMEMBERED);
      // Before the create's call, so no backup of it is listed while a later series cannot see it.
      const opened = await withinMs(this.store.set(openKey(series), remembered, heldMs).then(() => true), PLACE_TAKE_STORE_WAIT_MS);
      // The place is held either way, and its series counts it: going ahead placeless would read
      // as place 1, beside the create that holds place 1, and both would be told of one backup.
      // Without the mark only a later series may miss this create, as every series did before.
      if (!opened) this.onUnanswered();
      return place;
    }
    return 'full';
  }

  /**
   * For a create whose operation has found its backup: later reads keep
   * finding that one, even once the places around it are no longer held
   * or a backup before it is deleted. Never throws.
   */
  async found(series: string, place: number, backupId: string): Promise<void> {
    await withinMs(this.store.set(placeKey(series, place), `${FOUND}${backupId}`, GIVEN_UP_KEPT_MS), CREATE_ORDER_STORE_WAIT_MS);
  }

  /**
   * The places of `series` up to `place`, and before them every place of
   * each of `older` still open (series of the same disk with a lower
   * highest id, lowest first): one entry per series, in that order, each
   * place 1 first. Two round trips; undefined when the store does not
   * answer in time.
   */
  async claimsUpTo(older: readonly string[], series: string, place: number): Promise<PlaceState[][] | undefined> {
    const first = await withinMs(this.store.getMany<string>([...older.map(openKey), ...placeKeys(series, place)]), CREATE_ORDER_STORE_WAIT_MS);
    if (first === undefined) return undefined;
    const mine = await this.withLapsedUncertain(series, first.slice(older.length));
    if (mine === undefined) return undefined;
    const openOlder = older.filter((_, index) => first[index] !== undefined);
    if (openOlder.length === 0) return [...older.map(() => []), mine];
    const olderHeld = await withinMs(this.store.getMany<string>(openOlder.flatMap((name) => placeKeys(name, MOST_OVERLAPPING_CREATES))), CREATE_ORDER_STORE_WAIT_MS);
    if (olderHeld === undefined) return undefined;
    const byOlder = new Map(openOlder.map((name, index) => [name, olderHeld.slice(index * MOST_OVERLAPPING_CREATES, (index + 1) * MOST_OVERLAPPING_CREATES)]));
    return [...older.map((name) => statesOf(withoutFreeTail(byOlder.get(name) ?? []))), mine];
  }

  /**
   * The older series `series`' creates were given when they took their places
   * (see take); none when the store does not answer in time. A later series is
   * found by what its creates listed then, not only by what is listed now: the
   * backup whose id named it may have been deleted since, which hid it, and
   * its creates' backups were handed out twice. Undefined when the store does
   * not answer in time (none remembered read as none, a series hidden so was
   * handed out twice again).
   */
  async olderOf(series: string): Promise<string[] | undefined> {
    const mark = await withinMs(this.store.get<unknown>(openKey(series)).then((value) => ({ value })), CREATE_ORDER_STORE_WAIT_MS);
    return mark === undefined ? undefined : rememberedOlder(mark.value);
  }

  /**
   * The highest backup id a place of `series` records as found; undefined
   * when none does, `unanswered` when the store does not answer in time.
   * Read when the series is full (see the OnApp adapter's takePlace): a
   * silent store read as "none found" refused the create CONFLICT ("32
   * backups of this disk are being created already"), a store failure told
   * as the provider's state.
   */
  async highestFound(series: string): Promise<string | undefined | 'unanswered'> {
    const held = await withinMs(this.store.getMany<string>(placeKeys(series, MOST_OVERLAPPING_CREATES)), PLACE_TAKE_STORE_WAIT_MS);
    if (held === undefined) return this.unanswered();
    let highest: { text: string; id: bigint } | undefined;
    for (const state of statesOf(held)) {
      // Exact: an OnApp id past 2^53 (an exact string) lost its last digits to Number().
      if (typeof state !== 'object') continue;
      const id = decimalIdOrder(state.found);
      if (id !== null && (highest === undefined || id > highest.id)) highest = { text: state.found, id };
    }
    return highest?.text;
  }

  /**
   * For a create whose call failed. Marked first, then deleted only if no
   * later place is held: marking last would let a place taken meanwhile
   * count a place that is not there. The look at the next place and the
   * delete are one atomic step: a create taking the next place between
   * the two (it sees this place marked, so it takes the next) would then
   * count a place no longer held as one still making a backup, and wait
   * for its own backup as the second new one. Never throws: a store that
   * does not answer leaves the place held until its TTL.
   */
  async giveUp(series: string, place: number): Promise<void> {
    const key = placeKey(series, place);
    const marked = await withinMs(this.store.set(key, GIVEN_UP, GIVEN_UP_KEPT_MS).then(() => true), CREATE_ORDER_STORE_WAIT_MS);
    if (!marked) return;
    // Only while the place still holds its mark: sent again after a lost answer, a delete of the
    // place alone removed the place of a create that had taken it since (a deleted place is free),
    // and a third create took the same place: two creates told of one backup.
    await withinMs(this.store.deleteUnlessHeld(key, placeKey(series, place + 1), GIVEN_UP), CREATE_ORDER_STORE_WAIT_MS);
  }

  /**
   * For a call the provider answered: its place is no longer in flight, so a later place waiting
   * for its turn (see statesBefore) may send its own call. Kept `heldMs`, as the place was. A
   * replica of an earlier version reads the mark as `open`, which it counts as `sent` is counted.
   * Only while the place still holds `holding`, the caller's own value (its lease's): a later place
   * that read its lease as lapsed (its replica cut off from the store while the call waited for a
   * connection) marked it `uncertain` and may have sent its own call first, so the two calls'
   * order is not known; overwritten with `sent`, that later place counted this call's outcome as
   * surely before its own and could be told it. Never throws: unmarked, the place stays as it is
   * (`open` while its lease lives: a later place waits for it until its wait runs out).
   */
  async sent(series: string, place: number, heldMs: number, holding: string): Promise<void> {
    await withinMs(this.store.replaceIfEqual(placeKey(series, place), holding, SENT, heldMs), CREATE_ORDER_STORE_WAIT_MS);
  }

  /**
   * What the places before `place` of `series` say now, place 1 first (none for place 1, without
   * a round trip); undefined when the store does not answer within a mutation's wait.
   *
   * A leased place whose lease has lapsed (its replica gone between its take and its mark, or its
   * mark lost) is `uncertain`: its call may have reached the provider. It is marked so in the store,
   * settling `settlesAfterMs` from now (see keepUncertain), only while it still holds the value read
   * (a mark written meanwhile stays); undefined when that mark is not answered: left leased, the
   * place would count as sent once its TTL ran out. Waited for, it held every later place of its
   * series for its whole TTL (30 minutes of restores refused CONFLICT).
   */
  async statesBefore(series: string, place: number, settlesAfterMs: number): Promise<PlaceState[] | undefined> {
    if (place <= 1) return [];
    const held = await withinMs(this.store.getMany<unknown>(placeKeys(series, place - 1)), PLACE_TAKE_STORE_WAIT_MS);
    if (held === undefined) return undefined;
    const lapsed = await this.lapsedLeases(series, held, PLACE_TAKE_STORE_WAIT_MS);
    if (lapsed === undefined) return undefined;
    const states = statesOf(held);
    for (const index of lapsed) {
      const marked = await withinMs(this.store.replaceIfEqual(placeKey(series, index + 1), held[index], `${UNCERTAIN}:${Date.now() + settlesAfterMs}`, GIVEN_UP_KEPT_MS), PLACE_TAKE_STORE_WAIT_MS);
      if (marked === undefined) return undefined;
      // Not marked: the place was marked meanwhile by its holder (sent, uncertain, given up); read again next time.
      if (marked) states[index] = 'uncertain';
    }
    return states;
  }

  /**
   * Writes `note` beside place `place` of `series` (`<series>:<place>:note`), kept `keptMs`: what
   * the call holding the place tells the operations following it (OnApp's restores: how far up
   * their transaction is looked for, see the adapter's restoreBackup). True once written within a
   * mutation's wait; false when the store did not answer in time.
   */
  async note(series: string, place: number, note: string, keptMs: number): Promise<boolean> {
    return (await withinMs(this.store.set(noteKey(series, place), note, keptMs).then(() => true), PLACE_TAKE_STORE_WAIT_MS)) === true;
  }

  /** The note beside place `place` of `series` (see note), `{ note: undefined }` when none; undefined when the store does not answer in time. */
  async noteOf(series: string, place: number): Promise<{ readonly note: string | undefined } | undefined> {
    return withinMs(
      this.store.get<unknown>(noteKey(series, place)).then((value) => ({ note: typeof value === 'string' ? value : undefined })),
      CREATE_ORDER_STORE_WAIT_MS,
    );
  }

  /** Which series the calls of `group` join now (see CurrentSeries), its key `<group>:series`, kept `keptMs` past each keep. */
  current(group: string, keptMs: number): CurrentSeries {
    return new CurrentSeries(this.store, `${group}:series`, keptMs);
  }

  /** A lease for a place of `series` (see PlaceLease), to open before take. */
  lease(series: string, ttlMs: number): PlaceLease {
    return new PlaceLease(this.store, series, ttlMs);
  }

  /**
   * For a call that failed but may have reached the provider (a connection cut after sending, a
   * timeout, a 5xx): its place is neither open nor given up, and the later places count it as
   * either. Not deleted then: deleted with no later place held, the next call took the place again
   * and was told of this one's outcome, were it made after all; given up, each later place was
   * counted one short.
   *
   * It settles `settlesAfterMs` from now (as long as its outcome may take to be listed): a take of
   * the series after that gives it up and frees it, once no place after it is held but settled
   * ones (see settleUncertain). That is sound only for a series a take is asked of while the
   * provider lists nothing new since the series began (OnApp's restores: the series is named by
   * the VM's newest transaction), so by then the call made nothing. Kept uncertain for good, an outage answering every call 5xx without acting filled
   * the series' 32 places and refused every call CONFLICT for a day. Never throws.
   */
  async keepUncertain(series: string, place: number, settlesAfterMs: number): Promise<void> {
    await withinMs(this.store.set(placeKey(series, place), `${UNCERTAIN}:${Date.now() + settlesAfterMs}`, GIVEN_UP_KEPT_MS).then(() => true), CREATE_ORDER_STORE_WAIT_MS);
  }

  /**
   * `held` with the uncertain places whose time has come at the series' end freed: from the last
   * place down, past places not held, each is given up and deleted (as giveUp does with no later
   * place held), and so is a place given up before that was kept only for a place freed so. Stops
   * at the first place held otherwise: a place before a held one stays as it is (uncertain, it is
   * counted as maybe made by that one's operation), and is freed by a take once the series' end is
   * clear. Each only while it still holds the value read (compare, then set; delete only while
   * marked and the next place is not held), so a place taken or freed meanwhile by another take is
   * left alone; one the store does not answer about stays as read (held, so not taken).
   */
  private async settleUncertain(series: string, held: Array<string | undefined>): Promise<Array<string | undefined>> {
    const now = Date.now();
    const settled = [...held];
    let freed = false;
    for (let index = held.length - 1; index >= 0; index -= 1) {
      const value = held[index];
      if (value === undefined) continue;
      const settlesAt = uncertainUntil(value);
      const due = settlesAt !== undefined && settlesAt <= now;
      if (!due && !(freed && value === GIVEN_UP)) return settled;
      const key = placeKey(series, index + 1);
      if (due && !(await withinMs(this.store.replaceIfEqual(key, value, GIVEN_UP, GIVEN_UP_KEPT_MS), PLACE_TAKE_STORE_WAIT_MS))) return settled;
      if (!(await withinMs(this.store.deleteUnlessHeld(key, placeKey(series, index + 2), GIVEN_UP), PLACE_TAKE_STORE_WAIT_MS))) {
        settled[index] = GIVEN_UP;
        return settled;
      }
      settled[index] = undefined;
      freed = true;
    }
    return settled;
  }

  /** As statesOf, a leased place whose lease has lapsed read as `uncertain`; undefined when the store does not answer in time. */
  private async withLapsedUncertain(series: string, held: readonly unknown[]): Promise<PlaceState[] | undefined> {
    const lapsed = await this.lapsedLeases(series, held, CREATE_ORDER_STORE_WAIT_MS);
    if (lapsed === undefined) return undefined;
    const states = statesOf(held);
    for (const index of lapsed) states[index] = 'uncertain';
    return states;
  }

  /**
   * The indexes in `held` of leased places whose lease is gone, in one round trip (none without
   * one when no place is leased); undefined when the store does not answer within `waitMs`.
   */
  private async lapsedLeases(series: string, held: readonly unknown[], waitMs: number): Promise<number[] | undefined> {
    const leased = held.flatMap((value, index) => {
      const holder = leaseHolderOf(value);
      return holder === undefined ? [] : [{ index, key: leaseKey(series, holder) }];
    });
    if (leased.length === 0) return [];
    const leases = await withinMs(this.store.getMany<unknown>(leased.map(({ key }) => key)), waitMs);
    if (leases === undefined) return undefined;
    return leased.filter((_, at) => leases[at] === undefined).map(({ index }) => index);
  }

  /**
   * Whether a place a take was refused holds that take's own value: Redis ran the take, its
   * answer was lost with the connection, and ioredis sent it again once reconnected, which
   * answered "taken". Read as another's, the place stayed held by no create for its heldMs and
   * the create took the next: it looked for one backup more than came (PENDING, then FAILED
   * beside its own backup), and the disk's next create was told of this one's backup.
   * Undefined when the store does not answer the read in time: then it cannot be told.
   */
  private async tookItAfterAll(key: string, mine: string): Promise<boolean | undefined> {
    const held = await withinMs(this.store.get<unknown>(key).then((value) => ({ value })), PLACE_TAKE_STORE_WAIT_MS);
    return held === undefined ? undefined : held.value === mine;
  }

  /** A take the store did not answer in time: the create is refused before its call (see the OnApp adapter's takePlace). */
  private unanswered(): 'unanswered' {
    this.onUnanswered();
    return 'unanswered';
  }

  /**
   * As unanswered, for a take that may hold `place`: it is given up, but only while it holds this
   * take's own value. It makes no backup, and left held it would be counted by every later place
   * of its series. The release is sent on the same connection after the take, so it runs after it;
   * it is not waited for past the store's wait (it goes on, and ends at the command timeout).
   */
  private async unansweredHolding(series: string, place: number, mine: string): Promise<'unanswered'> {
    this.onUnanswered();
    await withinMs(this.release(series, place, mine), PLACE_TAKE_STORE_WAIT_MS);
    return 'unanswered';
  }

  /**
   * As giveUp, for a place only if it holds `mine`: another create's place is never marked. A
   * place given up already (this release sent again after its answer was lost, or another
   * create's) goes on to the delete, as giveUp's would: stopped there, it stayed marked for a day.
   */
  private async release(series: string, place: number, mine: string): Promise<void> {
    const key = placeKey(series, place);
    if (!(await this.store.replaceIfEqual(key, mine, GIVEN_UP, GIVEN_UP_KEPT_MS))) return;
    await this.store.deleteUnlessHeld(key, placeKey(series, place + 1), GIVEN_UP);
  }
}

export const placeKey = (series: string, place: number): string => `${series}:${place}`;

/** What the call holding a place tells the operations following it (see CreateOrder.note). */
export const noteKey = (series: string, place: number): string => `${placeKey(series, place)}:note`;

/** Held while any place of `series` is: how a later series finds the older ones still open. */
export const openKey = (series: string): string => `${series}:open`;

/** Most older series an open mark remembers: twice what an operation looks through. */
const MOST_OLDER_REMEMBERED = 64;

/** The older series an open mark holds (an open mark written before it remembered them holds none). */
function rememberedOlder(mark: unknown): string[] {
  return Array.isArray(mark) ? mark.filter((value): value is string => typeof value === 'string').slice(-MOST_OLDER_REMEMBERED) : [];
}

/**
 * What each stored place says, place 1 first. A value of another shape (a
 * replica of another version, a hand edit) still holds its place: it is
 * open, never a TypeError on every poll of the disk's creates.
 */
export function statesOf(held: readonly unknown[]): PlaceState[] {
  return held.map((value) => {
    if (value === GIVEN_UP) return 'given-up';
    if (value === SENT) return 'sent';
    if (value === UNCERTAIN || (typeof value === 'string' && value.startsWith(`${UNCERTAIN}:`))) return 'uncertain';
    if (value === undefined) return 'unheld';
    if (typeof value === 'string' && value.length > FOUND.length && value.startsWith(FOUND)) return { found: value.slice(FOUND.length) };
    return 'open';
  });
}

/**
 * When an uncertain place settles; undefined for any other value. `uncertain` alone (written
 * before places settled) never does: it goes with its 24 h.
 */
function uncertainUntil(value: unknown): number | undefined {
  if (typeof value !== 'string' || !value.startsWith(`${UNCERTAIN}:`)) return undefined;
  const settlesAt = Number(value.slice(UNCERTAIN.length + 1));
  return Number.isSafeInteger(settlesAt) ? settlesAt : undefined;
}

/** The places up to the last one held: places after it were never taken, or are no longer held. */
function withoutFreeTail(held: ReadonlyArray<string | undefined>): ReadonlyArray<string | undefined> {
  let end = held.length;
  while (end > 0 && held[end - 1] === undefined) end--;
  return held.slice(0, end);
}

/** The keys of places 1 to `count`. */
export const placeKeys = (series: string, count: number): string[] => Array.from({ length: count }, (_, index) => placeKey(series, index + 1));

/**
 * The place a take tries among `held` (place 1 first): the first after the last one held,
 * undefined when the last place is held. A free place below a held one is no longer held (its TTL ran out) and its call
 * was made: the places after it count it, so it is never taken again.
 */
export function placeAboveHeld(held: ReadonlyArray<string | undefined>): number | undefined {
  let last = held.length;
  while (last > 0 && held[last - 1] === undefined) last--;
  return last < held.length ? last + 1 : undefined;
}
