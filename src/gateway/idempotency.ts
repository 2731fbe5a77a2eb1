import { createHash, randomUUID } from 'node:crypto';
import { GatewayError, badInput, isGatewayError, storeUnavailable } from '../domain/errors.js';
import { MUTATION_STORE_WAIT_MS, answerWithinMs } from '../state/bounded-call.js';
import type { KeyValueStore } from '../state/store.js';
import { mayHaveActed } from '../upstream/may-have-acted.js';
import { ClaimsHeldHere, type HeldHere } from './claims-held-here.js';
import { isIdempotencyRecord, type IdempotencyRecord, type KeptFailure } from './idempotency-record.js';
import { checkWellFormed } from './input-checks.js';
import { LateInvalidations } from './late-invalidations.js';

/** Each says the next step: "already used with a different input" alone left a client retrying the same refusal. */
const KEY_REUSED = 'idempotencyKey was already used with a different input: send a new idempotencyKey with each new request, and this one only to retry the request that first used it, with its input';
const STILL_IN_PROGRESS = 'a request with this idempotencyKey is still in progress: send it again later with the same idempotencyKey, and it is answered as that request was';

/** How long a key holds its first answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a second caller waits for the first one's answer before giving up. */
const WAIT_FOR_FIRST_MS = 60_000;
/**
 * A waiting retry looks again after 25 ms, then half as long again each time, up to 500 ms: a
 * quick first answer is seen at once, and one that takes its minute costs about 130 looks (a
 * claim and a read each, in Redis when shared) instead of the 2,400 of a fixed 25 ms.
 */
export const FIRST_LOOK_AFTER_MS = 25;
export const LONGEST_LOOK_AFTER_MS = 500;
const nextLookAfter = (ms: number): number => Math.min(LONGEST_LOOK_AFTER_MS, Math.ceil(ms * 1.5));
/**
 * How long one call to the records' store may take. A Redis that stopped
 * answering held the mutation (and, once it had acted, its answer) until TCP
 * gave up; past this the store counts as failed.
 */
export const IDEMPOTENCY_STORE_WAIT_MS = MUTATION_STORE_WAIT_MS;
/**
 * How long a claim counts as held by a live request without word from it. The
 * request that holds a claim renews a key of its own (`live:<claim>`) every
 * third of this while it runs. A gateway that died mid-request (killed, its
 * machine lost) left the claim `pending` for its 24 h: every retry with the
 * key waited its minute and was told the first was "still in progress". Now
 * a retry that finds the claim's live key gone is told at once that the first
 * request never answered and may have acted.
 */
export const CLAIM_LEASE_MS = 30_000;
/**
 * How long a refusal stands in for its claim, for the requests that were waiting on it: longer
 * than a waiter's longest pause between looks (LONGEST_LOOK_AFTER_MS) plus a slow look or two.
 */
export const REFUSAL_SHARED_MS = 10_000;
/**
 * How many times a record whose claim was lost looks at the key and tries to write over what it
 * holds. Each try fails only when another request changed the key since the look; past these the
 * record is left unwritten (the key holds another request's claim or refusal, whose own record
 * follows), so a key that never settles costs a bounded number of store calls, not a loop.
 */
export const RECORD_WRITE_LOOKS = 3;

/**
 * The records could not be read or claimed: refused before anything was sent to the provider.
 * The store's own error is its cause: in the log line of the request (by its id), never in the answer.
 */
function recordsUnavailable(cause: unknown): GatewayError {
  const error = storeUnavailable('the idempotency records could not be reached; nothing was sent to the provider: send the request again with the same idempotencyKey');
  error.cause = cause;
  return error;
}

export const SHARED_REFUSAL_NOTE =
  ' (the first request with this idempotencyKey, running when this one came, was refused so and did nothing; nor did this one: send the request again to act)';

export const REPLAYED_FAILURE_NOTE =
  ' (the first request with this idempotencyKey ended so, and the provider may have acted on it: check before trying again with a new idempotencyKey)';

/**
 * A record this version cannot read (another version's or writer's, in a shared Redis). Not
 * INTERNAL_SERVER_ERROR: nothing failed here, and the client must learn that the first request
 * with the key may have acted, exactly as for a replayed failure.
 */
const abandonedClaim = (): GatewayError =>
  new GatewayError(
    'CONFLICT',
    'the first request with this idempotencyKey stopped before it recorded an answer (its gateway stopped, or lost the shared state): it may have acted; check before trying again with a new idempotencyKey',
  );

const unreadableRecord = (): GatewayError =>
  new GatewayError(
    'CONFLICT',
    'idempotencyKey already holds a record this gateway cannot read (written by another version?): the first request with it may have acted; check before trying again with a new idempotencyKey',
  );

function keptFailure(error: unknown): KeptFailure {
  if (!isGatewayError(error)) return { code: 'INTERNAL_SERVER_ERROR', message: 'internal error', details: {} };
  const { retryAfterSeconds: _dropped, ...details } = error.details;
  return { code: error.code, message: error.message, details };
}

/** Stable JSON: object keys sorted, so the same input always has the same fingerprint. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A claim this version writes: its request renews `live:<claim>` while it runs. */
type LeasedClaim = { fingerprint: string; state: 'pending'; claim: string; lease: true };

/** The key a running claim renews; claims are random UUIDs, records SHA-256 hex: the two never meet. */
const liveKey = (claim: string): string => `live:${claim}`;

export const fingerprint = (operation: string, input: unknown): string => createHash('sha256').update(`${operation}\n${stable(input)}`).digest('hex');

/** What the caller of `Idempotency.run` learns of, and checks in, a replay. */
export interface ReplayHooks {
  /** Told when the answer, or the failure, is a record's. */
  onReplay?: () => void;
  /** Whether a recorded answer is one the caller can answer (another version's may have another shape): CONFLICT otherwise, as for a record of another shape. */
  isResult?: (result: unknown) => boolean;
  /**
   * Told, before the answer goes out, when the request ran but its claim was gone from the store by
   * the time its record was written (Redis flushed, evicted or failed over): a retry may have
   * claimed the key meanwhile and acted too.
   */
  onClaimLost?: () => void;
}

/**
 * Same client key + same idempotency key + same input within 24 h: the first
 * answer, with no second upstream call. Records are keyed by the client's key
 * identity (`Principal.keyId`, a SHA-256 of its client key), never by its name,
 * and live in a store namespace of their own (see Gateway), so cached reads
 * cannot evict them. The caller checks role and scope before `run`, so a
 * replay is refused exactly like a fresh call would be. The first caller claims the key atomically (setIfAbsent, in memory or
 * Redis), so two requests at the same moment, even on two gateway processes,
 * cannot both act; the second waits for the first's answer. A first attempt
 * refused without acting (bad input, not found, the provider's own refusal)
 * releases the key. One that may have acted (a timeout, a 5xx, an answer we
 * could not read: the write may have happened) keeps it, with its failure:
 * a retry with the key gets that failure again instead of a second write, so
 * a client that cannot tell must look before it tries with a new key.
 */
export class Idempotency {
  /**
   * Records (and releases) the store did not take once the request had run (Redis unreachable:
   * a partition, a failover), sent again every second until they land. Left, the claim stayed
   * `pending` for its 24 h: every retry with the key waited its minute and was told CONFLICT
   * "still in progress", though the first had long been answered (or had done nothing).
   * Kept in this process only: one that stops meanwhile leaves the claim as it was.
   */
  private readonly late = new LateInvalidations();
  /** The claims this process holds while their requests run: a retry that comes here waits for the first, claim in the store or not. */
  private readonly heldHere = new ClaimsHeldHere();

  constructor(
    private readonly store: KeyValueStore,
    /** Told of each store call that failed or did not answer in time (the gateway logs it). */
    private readonly onStoreError: (error: unknown) => void = () => {},
    /** CLAIM_LEASE_MS; shorter in tests. */
    private readonly leaseMs: number = CLAIM_LEASE_MS,
  ) {}

  /** `owner`: the caller's key identity (`Principal.keyId`), or a keyless caller's address (idempotencyOwnerOf). */
  async run<T>(owner: string, key: string, operation: string, input: unknown, act: () => Promise<T>, replay: ReplayHooks = {}): Promise<T> {
    if (key.length === 0 || key.length > 200) throw badInput('idempotencyKey must be 1 to 200 characters');
    checkWellFormed(key, 'idempotencyKey');
    const storeKey = createHash('sha256').update(`${owner}\n${key}`).digest('hex');
    const print = fingerprint(operation, input);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    let lookAfterMs = FIRST_LOOK_AFTER_MS;
    // The holder's live key is read at the first look and then once a third of a lease: every look would double the reads.
    let liveLookAt = 0;
    // The claims this request found pending: it waits on them, and shares the refusal of one refused without acting.
    const waitedOn = new Set<string>();
    for (;;) {
      // Looked at before each claim: the store may have lost the first request's claim, since this one came or before.
      const runningHere = this.heldHere.find(storeKey);
      if (runningHere) return this.endOfHeldHere<T>(runningHere, print, deadline, replay);
      const attempt = await this.claim<T>(storeKey, print, waitedOn);
      if ('held' in attempt) {
        const claimed = attempt.held;
        const end = this.heldHere.hold(storeKey, print);
        let result: T;
        const renewing = this.keepAlive(claimed);
        try {
          result = await act();
        } catch (error) {
          clearInterval(renewing);
          // The record's fate must not replace the answer: the client is told what the provider said.
          const acted = mayHaveActed(error);
          if (acted) {
            const failed: IdempotencyRecord<T> = { fingerprint: print, state: 'failed', failure: keptFailure(error), claim: claimed.claim };
            await this.settle(storeKey, claimed, () => this.record(storeKey, claimed, failed, replay));
          } else {
            // Only while the key still holds this claim: never another request's, should the store have lost it meanwhile. A
            // plain delete whose answer was lost with the connection was sent again by ioredis once reconnected, and deleted
            // the answer a retry had recorded in between: the next retry with the key acted again.
            // The refusal stands in for the claim a few seconds: released at once, a request waiting on the claim (a
            // duplicate sent at the same time) claimed the key and sent the provider the call it had just refused (a 429).
            // Sent again later, the release is a plain one: the waiters have moved on by then.
            const refused: IdempotencyRecord<T> = { fingerprint: print, state: 'refused', claim: claimed.claim, failure: keptFailure(error) };
            await this.settle(
              storeKey,
              claimed,
              async () => void (await this.store.replaceIfEqual(storeKey, claimed, refused, REFUSAL_SHARED_MS)),
              () => this.store.deleteIfEqual(storeKey, claimed),
            );
          }
          end({ failure: error, mayHaveActed: acted });
          throw error;
        }
        clearInterval(renewing);
        // The write happened: its answer goes out even if the record cannot be kept now (it is sent again until it lands).
        const done: IdempotencyRecord<T> = { fingerprint: print, state: 'done', result, claim: claimed.claim };
        await this.settle(storeKey, claimed, () => this.record(storeKey, claimed, done, replay));
        end({ result });
        return result;
      }
      const { stored } = attempt;
      if (stored !== undefined && !isIdempotencyRecord(stored)) throw unreadableRecord();
      // Another input first: a key used for another mutation holds an answer of another shape, and
      // was told "a record this gateway cannot read", may have acted, instead of "used with a different input".
      // A refusal this request did not wait on, whose key another took first (claim would have taken it): look again.
      if (stored !== undefined && stored.state !== 'refused' && stored.fingerprint !== print) throw new GatewayError('CONFLICT', KEY_REUSED);
      if (stored?.state === 'done' && replay.isResult && !replay.isResult(stored.result)) throw unreadableRecord();
      // The result's own shape is the mutation's: a record is only ever written for one operation's fingerprint.
      const record = stored as IdempotencyRecord<T> | undefined;
      if (record?.state === 'refused' && waitedOn.has(record.claim)) {
        replay.onReplay?.();
        throw new GatewayError(record.failure.code, record.failure.message + SHARED_REFUSAL_NOTE, record.failure.details);
      }
      if (record?.state === 'done' || record?.state === 'failed') replay.onReplay?.();
      if (record?.state === 'done') return record.result;
      if (record?.state === 'failed') throw new GatewayError(record.failure.code, record.failure.message + REPLAYED_FAILURE_NOTE, record.failure.details);
      if (record?.state === 'pending' && record.claim !== undefined) waitedOn.add(record.claim);
      if (record?.state === 'pending' && record.lease === true && Date.now() >= liveLookAt) {
        if (!(await this.isLive(record.claim))) {
          // The holder deletes its live key once its answer is recorded: the record read before may be older than that.
          if (await this.stillClaimedBy(storeKey, record.claim)) throw abandonedClaim();
          continue;
        }
        liveLookAt = Date.now() + this.leaseMs / 3;
      }
      if (Date.now() > deadline) throw new GatewayError('CONFLICT', STILL_IN_PROGRESS);
      await new Promise((resolve) => setTimeout(resolve, lookAfterMs));
      lookAfterMs = nextLookAfter(lookAfterMs);
    }
  }

  /**
   * What a request is told of the first request with its key, running in this process: that one's
   * answer, its failure that may have acted, or its refusal, as a retry waiting on its claim in the
   * store would be, within the same minute.
   */
  private async endOfHeldHere<T>(held: HeldHere, print: string, deadline: number, replay: ReplayHooks): Promise<T> {
    if (held.fingerprint !== print) throw new GatewayError('CONFLICT', KEY_REUSED);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()), undefined);
    });
    const ended = await Promise.race([held.ended, gaveUp]).finally(() => clearTimeout(timer));
    if (ended === undefined) throw new GatewayError('CONFLICT', STILL_IN_PROGRESS);
    replay.onReplay?.();
    // The same fingerprint, so the same operation, run by this very version: its answer has T's shape.
    if ('result' in ended) return ended.result as T;
    const failure = keptFailure(ended.failure);
    throw new GatewayError(failure.code, failure.message + (ended.mayHaveActed ? REPLAYED_FAILURE_NOTE : SHARED_REFUSAL_NOTE), failure.details);
  }

  /**
   * Claims the key, or reads the record of the request that holds it; a store that fails or does
   * not answer in time refuses the request before it acts. A claim that lands after its wait was
   * given up is released, so the key is not held for a request that never ran.
   */
  private async claim<T>(storeKey: string, print: string, waitedOn: ReadonlySet<string>): Promise<{ held: LeasedClaim } | { stored: unknown }> {
    const pending: LeasedClaim = { fingerprint: print, state: 'pending', claim: randomUUID(), lease: true };
    // Sent before the claim and not awaited apart: a store that runs one client's calls in order
    // (one Redis connection, memory) has the live key in place before anyone can read the claim.
    this.store.set(liveKey(pending.claim), 1, this.leaseMs).catch(() => undefined);
    const claim = this.store.setIfAbsent<IdempotencyRecord<T>>(storeKey, pending, IDEMPOTENCY_TTL_MS);
    let stored: unknown;
    try {
      if (await answerWithinMs(claim, IDEMPOTENCY_STORE_WAIT_MS)) return { held: pending };
      stored = await answerWithinMs(this.store.get<unknown>(storeKey), IDEMPOTENCY_STORE_WAIT_MS);
      // A refusal of a request this one did not wait on: the key is free, as once released.
      if (isIdempotencyRecord(stored) && stored.state === 'refused' && !waitedOn.has(stored.claim)) {
        if (await answerWithinMs(this.store.replaceIfEqual(storeKey, stored, pending, IDEMPOTENCY_TTL_MS), IDEMPOTENCY_STORE_WAIT_MS)) return { held: pending };
        stored = await answerWithinMs(this.store.get<unknown>(storeKey), IDEMPOTENCY_STORE_WAIT_MS);
      }
    } catch (error) {
      this.onStoreError(error);
      // Sent now, it runs after the claim wherever that lands (a stalled Redis runs both when it
      // wakes, after ioredis stopped waiting for either): a claim left pending would hold the key
      // for its 24 h, every retry told the first is still in progress.
      claim.catch(() => undefined);
      this.store.deleteIfEqual(storeKey, pending).catch(() => undefined);
      throw recordsUnavailable(error);
    }
    // The key holds this very claim: Redis ran it, and its answer was lost with the connection;
    // ioredis sent it again once reconnected, and the second run answered "taken". Read as
    // another's, the request was told its first had stopped and may have acted, though nothing
    // was sent, and the key held that claim for its 24 h.
    if (isIdempotencyRecord(stored) && stored.state === 'pending' && stored.claim === pending.claim) return { held: pending };
    // A waiting retry claims at each look, some 130 in its minute: each left a live key of a claim
    // never held, and in memory they shared the records' entries, evicting answers kept for 24 h
    // (a retry of one of those then acted again).
    this.store.delete(liveKey(pending.claim)).catch(() => undefined);
    return { stored };
  }

  /**
   * Writes a request's record in place of its own claim. A claim gone from the key (Redis flushed,
   * evicted or failed over while the request ran) is told to `onClaimLost`: a retry may have found
   * the key empty, claimed it and acted. The record is then still written where the key is empty
   * (a later retry replays it rather than acting) or holds another request's claim (that request,
   * finishing, finds its own claim gone in turn) or refusal, never over another request's answer: written with
   * a plain SET, the first request's answer replaced the retry's, and the retry's then replaced it
   * back, so retries with the key replayed one answer, then the other.
   */
  private async record<T>(storeKey: string, claimed: LeasedClaim, record: IdempotencyRecord<T>, replay: ReplayHooks): Promise<void> {
    // True as well when the key holds this record already (the write sent again after its answer was lost).
    if (await this.store.replaceIfEqual(storeKey, claimed, record, IDEMPOTENCY_TTL_MS)) return;
    replay.onClaimLost?.();
    // A few looks: each write below is refused only when another request changed the key since the look.
    for (let look = 0; look < RECORD_WRITE_LOOKS; look++) {
      const stored = await this.store.get<unknown>(storeKey);
      if (stored === undefined) {
        if (await this.store.setIfAbsent(storeKey, record, IDEMPOTENCY_TTL_MS)) return;
      } else if (isIdempotencyRecord(stored) && (stored.state === 'pending' || stored.state === 'refused')) {
        if (await this.store.replaceIfEqual(storeKey, stored, record, IDEMPOTENCY_TTL_MS)) return;
      } else return;
    }
  }

  /** Renews the claim's live key while its request runs; a renewal that fails is tried at the next tick. */
  private keepAlive(claimed: { claim: string }): ReturnType<typeof setInterval> {
    const timer = setInterval(() => {
      this.store.set(liveKey(claimed.claim), 1, this.leaseMs).catch(() => undefined);
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    timer.unref();
    return timer;
  }

  /** Whether the request holding `claim` has said it is running within the lease. */
  private async isLive(claim: string): Promise<boolean> {
    try {
      return (await answerWithinMs(this.store.get<unknown>(liveKey(claim)), IDEMPOTENCY_STORE_WAIT_MS)) !== undefined;
    } catch (error) {
      this.onStoreError(error);
      throw recordsUnavailable(error);
    }
  }

  /** Whether the key's record is still `claim`'s pending one. */
  private async stillClaimedBy(storeKey: string, claim: string): Promise<boolean> {
    try {
      const stored = await answerWithinMs(this.store.get<unknown>(storeKey), IDEMPOTENCY_STORE_WAIT_MS);
      return isIdempotencyRecord(stored) && stored.state === 'pending' && stored.claim === claim;
    } catch (error) {
      this.onStoreError(error);
      throw recordsUnavailable(error);
    }
  }

  /**
   * Waits for a record write within IDEMPOTENCY_STORE_WAIT_MS; a failure is reported, never thrown,
   * and the write (or `later`, when given) is sent again until it lands (see `late`).
   * Once it has landed the claim's live key goes: left for its lease, it took an entry of the
   * store's as long, and in memory (where expired entries stay until evicted) the records kept
   * for 24 h had half of `limits.idempotencyMaxEntries`. Left while the write is owed.
   */
  private async settle(storeKey: string, claimed: { claim: string }, write: () => Promise<void>, later: () => Promise<void> = write): Promise<void> {
    try {
      await answerWithinMs(write(), IDEMPOTENCY_STORE_WAIT_MS);
      this.store.delete(liveKey(claimed.claim)).catch(() => undefined);
    } catch (error) {
      this.onStoreError(error);
      this.late.add(storeKey, () => answerWithinMs(later(), IDEMPOTENCY_STORE_WAIT_MS), IDEMPOTENCY_TTL_MS);
    }
  }
}
