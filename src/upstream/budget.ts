import { GatewayError } from '../domain/errors.js';
import { RequestStop } from './request-stop.js';

/**
 * How many upstream calls one GraphQL request may still cause
 * (`limits.maxUpstreamCallsPerRequest`), and how many bytes of provider
 * answers it may take in (`limits.maxUpstreamAnswerBytesPerRequest`). The
 * upstream client spends one call before each call and counts each answer's
 * bytes once it has it, both outside the retry and breaker policy, so a
 * request past its budget fails its further loads with QUERY_TOO_COMPLEX
 * without reaching the provider and without counting against the provider's
 * health. Once the answers pass their budget, the request's reads still
 * waiting for a slot or between retries are not sent, and those in flight
 * are dropped (`signal`): each answer would be refused as it came.
 */
export class UpstreamBudget {
  private spent = 0;
  private answerBytes = 0;
  private writes = 0;
  private writesAnswered = 0;
  /**
   * One refusal for every call past the budget: an error each (with its stack)
   * cost a request over a 150,000-instance account seconds of CPU.
   */
  private refusal: GatewayError | null = null;

  private bytesRefusal: GatewayError | null = null;

  private readonly stop: RequestStop;

  constructor(
    readonly limit: number,
    /** Bytes of answers the request may take in: unbounded for what no request asked (benchmarks, unit tests). */
    readonly answerBytesLimit = Number.POSITIVE_INFINITY,
    /** The client's signal (see UpstreamScope.signal): `signal` fires with it too. */
    clientSignal?: AbortSignal,
  ) {
    this.stop = new RequestStop(clientSignal);
  }

  /**
   * What the request's reads stop on (UpstreamScope.signal): the client leaving, or the answers
   * passing their budget. A refused 400-VM request against a hostile OnApp (a 2 MB note on each
   * backup) still sent every read queued for the account's slots, and read and dropped each
   * answer: 390 backup lists and 21.5-21.9 s of gateway CPU, against 148-150 and 7.2-9.3 s now
   * (bench/refused-request-cpu.ts).
   */
  get signal(): AbortSignal {
    return this.stop.asAbortSignal();
  }

  /**
   * Stops the request's reads as its client leaving would: its answer no longer needs them (a
   * non-null root field failed, or its lists passed limits.maxCost: root-refusals.ts).
   */
  stopReads(reason: unknown): void {
    this.stop.stop(reason);
  }

  /** Whether the answers passed their budget: a read stopped since then is refused as QUERY_TOO_COMPLEX, not cancelled. */
  get answerBytesPassed(): boolean {
    return this.answerBytes > this.answerBytesLimit;
  }

  /** The refusal a read of this request gets once its answers passed their budget (the same for each). */
  answerBytesRefusal(): GatewayError {
    return this.bytesRefused();
  }

  /**
   * The refusal every further call of this request gets, its calls or its answers' bytes being used
   * up (what `spend` would throw); null while it may call. Lets a batch of one call per item refuse
   * the rest at once: walking 150,000 refused calls through the client cost a large protection view
   * about a third of its CPU.
   */
  refusalOfFurtherCalls(): GatewayError | null {
    if (this.answerBytes > this.answerBytesLimit) return this.bytesRefused();
    return this.spent >= this.limit ? this.refused() : null;
  }

  /** Counts one upstream call, or refuses it when the budget is used up. `write`: a call that may act (see writesSent). */
  spend(write = false): void {
    if (this.answerBytes > this.answerBytesLimit) throw this.bytesRefused();
    if (this.spent >= this.limit) throw this.refused();
    this.spent += 1;
    if (write) this.writes += 1;
  }

  /** Writes let through so far: a mutation refused with none sent since it began acted on nothing (refused-unsent.ts). */
  get writesSent(): number {
    return this.writes;
  }

  /**
   * Writes that reached the provider: answered below 400, or failed so that they may have acted
   * (after-write-reached.ts). A failure after one says nothing of it, however unsent its own call.
   */
  get writesReached(): number {
    return this.writesAnswered;
  }

  /** Counts a write that reached the provider (see writesReached). */
  writeReached(): void {
    this.writesAnswered += 1;
  }

  /**
   * Takes back one write counted as reached whose 2xx answer its adapter read as a refusal
   * (write-refused.ts): a status below 400 is counted before the adapter has read the answer.
   */
  writeRefusedInAnswer(): void {
    this.writesAnswered = Math.max(0, this.writesAnswered - 1);
  }

  /**
   * Counts an answer's bytes, refusing it once the request's answers pass their budget. Each
   * answer is within the size limit and read within the process's budget (answer-bytes.ts), but
   * what a request has read stays in its loaders until it ends: a hostile OnApp answering each
   * of 400 VMs' backup lists with a 2 MB note held 1.2 GB resident for one request that asked
   * only for the backups' ids, and a few such requests at once ran the process out of memory.
   * A write's answer is counted, never refused (`refuse` false): the write has acted, and a
   * refusal would tell the client it had not; the calls after it are refused instead.
   */
  receive(bytes: number, refuse: boolean): void {
    this.answerBytes += bytes;
    if (this.answerBytes <= this.answerBytesLimit) return;
    // A write's answer too: the reads after it would each be refused as they came.
    this.stop.stop(this.bytesRefused());
    if (refuse) throw this.bytesRefused();
  }

  /**
   * Refuses at once when `calls` more would pass the budget, before any is
   * made: a provider saying its list has 2e7 rows asked for 200,000 pages,
   * each made (and refused) one by one, a stall of seconds. Spends nothing:
   * each call still spends its own.
   */
  reserve(calls: number): void {
    if (this.spent + calls > this.limit) throw this.refused();
  }

  private bytesRefused(): GatewayError {
    return (this.bytesRefusal ??= new GatewayError(
      'QUERY_TOO_COMPLEX',
      `the providers' answers to this request passed ${this.answerBytesLimit} bytes (limits.maxUpstreamAnswerBytesPerRequest); ask for fewer items`,
    ));
  }

  private refused(): GatewayError {
    return (this.refusal ??= new GatewayError('QUERY_TOO_COMPLEX', `this request needs more than ${this.limit} upstream calls (limits.maxUpstreamCallsPerRequest); ask for fewer items`));
  }
}
