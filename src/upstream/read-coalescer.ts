import type { UpstreamRequest, UpstreamResponse } from './client.js';
import { FlightSignal } from './flight-signal.js';
import { FlightTurns } from './flight-turns.js';
import type { UpstreamScope } from './scope.js';

/**
 * Coalesced upstream reads (issue 14): identical reads of one provider
 * account in flight at the same time share one upstream request and one
 * parsed answer, whichever GraphQL requests and clients asked for them.
 *
 * Why a flight of our own above the policy rather than undici 7's
 * `interceptors.deduplicate`: that interceptor sits below the policy and
 * dedupes GET only, so each waiter would still take a concurrency slot, run
 * its own retries and parse its own copy of the body; Zomro's reads are form
 * POSTs it never dedupes; and our per-request `x-request-id` header would
 * make every key differ. One flight here costs one slot, one retry sequence,
 * one JSON.parse and one answer object for all its waiters.
 *
 * Rules:
 * - reads only (`mayRetry` in client.ts: a GET, or a request marked
 *   idempotent such as Zomro's form-POST reads); never writes;
 * - the key holds everything the provider sees: method, path, query, headers
 *   (credentials included) and body, plus the account's generation, so a
 *   read that starts after a write began, or after the account was seen
 *   changed otherwise (an operation seen finished: `forgetFlights`), never
 *   joins a flight from before (read-after-write);
 * - a flight's failure reaches only its own waiters: it leaves the map when
 *   it settles, and the next read starts a new one;
 * - one waiter leaving (its client went away) leaves only that waiter; the
 *   upstream request is aborted when the last one has left;
 * - the shared answer is read-only: callers map it, never change it.
 */
export class ReadCoalescer {
  private readonly flights = new Map<string, Flight>();
  /** Bumped when a write starts and when it ends, and by `forgetFlights`: see the class comment. */
  private generation = 0;

  constructor(
    /** Runs the read once for a flight, under the flight's own scope. */
    private readonly execute: (request: UpstreamRequest) => Promise<UpstreamResponse>,
    /** The error for a waiter that left before the answer came (its own signal fired). */
    private readonly cancelled: () => Error,
    /** Told of each read that joined a flight already in the air (the metric). */
    private readonly joined: (request: UpstreamRequest) => void,
  ) {}

  /** For a read (the client's `mayRetry` said so): the methods a read is sent with. */
  static coalescible(request: UpstreamRequest): boolean {
    return request.method === 'GET' || request.method === 'POST';
  }

  /** A read: joins the flight for the same request if one is in the air, else starts one. */
  read(request: UpstreamRequest): Promise<UpstreamResponse> {
    const key = this.keyOf(request);
    let flight = this.flights.get(key);
    if (flight) {
      this.joined(request);
      // Its client's turn serves the flight too: no client waits in another's line alone.
      flight.turns.add(request.scope.client);
    } else {
      flight = this.start(key, request);
    }
    flight.waiters += 1;
    return this.wait(flight, request.scope.signal);
  }

  /** A write: reads that start from now on, and after it, never join a flight from before it. */
  async write<T>(run: () => Promise<T>): Promise<T> {
    this.generation += 1;
    try {
      return await run();
    } finally {
      this.generation += 1;
    }
  }

  /**
   * The account changed other than through a write of ours (an operation
   * seen finished): reads from now on start their own flights. A read that
   * joined an older flight would take (and the read cache keep, as a read
   * started after the change) an answer from before it.
   */
  forgetFlights(): void {
    this.generation += 1;
  }

  private keyOf(request: UpstreamRequest): string {
    const query = request.query ? JSON.stringify(request.query) : '';
    const headers = request.headers ? JSON.stringify(request.headers) : '';
    return `${this.generation}\n${request.method}\n${request.path}\n${query}\n${headers}\n${request.body ?? ''}`;
  }

  private start(key: string, request: UpstreamRequest): Flight {
    // The flight's own signal: no single waiter's client may cancel what others wait for.
    const stop = new FlightSignal();
    // It waits for a slot in the turn of the client that started it and of each that joins it (FlightTurns).
    const turns = new FlightTurns(request.scope.client);
    const scope: UpstreamScope = { requestId: request.scope.requestId, client: request.scope.client, turns, signal: stop.asAbortSignal() };
    const sent = this.execute({ ...request, scope });
    // Asked as the flight starts: no promise more per read when off (production).
    const answer = sharedAnswerGuard.freeze ? sent.then(deepFreeze) : sent;
    const flight: Flight = { key, stop, waiters: 0, answer, turns, waiting: [] };
    this.flights.set(key, flight);
    // One reaction per flight settles every waiter with a signal (Waiter), rather than one promise and three closures each.
    answer.then(
      (response) => this.land(flight, response, undefined),
      (error: unknown) => this.land(flight, undefined, error),
    );
    return flight;
  }

  private wait(flight: Flight, signal: AbortSignal | undefined): Promise<UpstreamResponse> {
    if (!signal) return flight.answer;
    if (signal.aborted) {
      this.leave(flight);
      return Promise.reject(this.cancelled());
    }
    return new Promise((resolve, reject) => {
      const waiter = new Waiter(this, flight, signal, resolve, reject);
      flight.waiting.push(waiter);
      signal.addEventListener('abort', waiter, ONCE);
    });
  }

  /** The flight's answer came (or its failure): it leaves the map, and each waiter still there has it. */
  private land(flight: Flight, response: UpstreamResponse | undefined, error: unknown): void {
    this.forget(flight);
    const waiting = flight.waiting;
    flight.waiting = [];
    for (const waiter of waiting) waiter.settle(response, error);
  }

  /** `waiter`'s client left before the answer: it leaves the flight, and is told it was cancelled. */
  waiterLeft(waiter: Waiter): void {
    const index = waiter.flight.waiting.indexOf(waiter);
    if (index === -1) return;
    waiter.flight.waiting.splice(index, 1);
    this.leave(waiter.flight);
    waiter.reject(this.cancelled());
  }

  /** A waiter left; the last one out aborts the upstream request (no one reads its answer). */
  private leave(flight: Flight): void {
    flight.waiters -= 1;
    if (flight.waiters > 0) return;
    this.forget(flight);
    flight.stop.abort(this.cancelled());
  }

  private forget(flight: Flight): void {
    if (this.flights.get(flight.key) === flight) this.flights.delete(flight.key);
  }
}

interface Flight {
  key: string;
  stop: FlightSignal;
  waiters: number;
  answer: Promise<UpstreamResponse>;
  turns: FlightTurns;
  /** The waiters with a signal of their own, not yet answered (a waiter without one has `answer` itself). */
  waiting: Waiter[];
}

/**
 * One request waiting on a flight with a signal of its own: the listener on that signal
 * (handleEvent), settled by the flight's one reaction (ReadCoalescer.land).
 */
class Waiter {
  constructor(
    private readonly coalescer: ReadCoalescer,
    readonly flight: Flight,
    private readonly signal: AbortSignal,
    private readonly resolve: (response: UpstreamResponse) => void,
    readonly reject: (error: unknown) => void,
  ) {}

  /** Its signal fired: the client left. */
  handleEvent(): void {
    this.coalescer.waiterLeft(this);
  }

  settle(response: UpstreamResponse | undefined, error: unknown): void {
    this.signal.removeEventListener('abort', this);
    if (response === undefined) this.reject(error);
    else this.resolve(response);
  }
}

/** One options object for every waiter's listener. */
const ONCE: AddEventListenerOptions = { once: true };

/**
 * Tests turn this on to deep-freeze every shared answer, so a mapper that
 * changes one (which another waiter may be reading) throws instead of
 * silently corrupting the other's result. Off in production: freezing costs CPU.
 */
export const sharedAnswerGuard = { freeze: false };

function deepFreeze<T>(value: T): T {
  // Primitives, null included, count as frozen: past this line `value` is an object.
  if (Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value as object)) deepFreeze(child);
  return value;
}
