import type { IncomingHttpHeaders } from 'node:http';
import { util, type Dispatcher } from 'undici';
import type { AnswerBytesBudget, AnswerHold } from './answer-bytes.js';
import { ResponseTooLargeError, answerText } from './answer-body.js';
import { AnswerCutShortError } from './answer-cut-short.js';
import type { AttemptSignal, AttemptWatcher } from './deadline.js';

/** A provider's answer read whole: its status, headers and decoded text, and the hold on its bytes (the caller closes it). */
export interface TextAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  hold: AnswerHold;
}

export interface AnswerLimits {
  maxBytes: number;
  budget: AnswerBytesBudget;
  provider: string;
}

/**
 * One request and its answer's text through undici's dispatcher handler, not `pool.request`: that
 * makes an AsyncResource, a Readable for the body and a promise more per call, and our reader a
 * promise and three listeners on that Readable. A dashboard holds a hundred calls or more in flight
 * at once, and each of those objects alive then is copied by every scavenge. Errors are undici's
 * own (or the signal's reason, or ResponseTooLargeError), as `pool.request` and the body gave them.
 */
export function requestText(pool: Dispatcher, options: Dispatcher.DispatchOptions, signal: AttemptSignal, limits: AnswerLimits): Promise<TextAnswer> {
  return new Promise((resolve, reject) => {
    const handler = new TextHandler(signal, limits, resolve, reject);
    if (signal.aborted) return reject(signal.reason);
    signal.watch(handler);
    try {
      pool.dispatch(options, handler);
    } catch (error) {
      handler.onError(error as Error);
    }
  });
}

class TextHandler implements Dispatcher.DispatchHandler, AttemptWatcher {
  private abort: ((reason: Error) => void) | null = null;
  private resume: (() => void) | null = null;
  private hold: AnswerHold | null = null;
  private status = 0;
  private headers: IncomingHttpHeaders = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private settled = false;

  constructor(
    private readonly signal: AttemptSignal,
    private readonly limits: AnswerLimits,
    private readonly resolve: (answer: TextAnswer) => void,
    private readonly reject: (error: unknown) => void,
  ) {}

  /** The attempt's signal aborted (its deadline, or its request ended): a method, not a closure per answer. */
  attemptStopped(): void {
    const reason = this.signal.reason ?? new Error('aborted');
    if (this.abort) this.abort(reason);
    else this.fail(reason);
  }

  onConnect(abort: (reason?: Error) => void): void {
    if (this.settled) return abort(new Error('aborted'));
    this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.headers = util.parseHeaders(rawHeaders) as IncomingHttpHeaders;
    this.resume = resume;
    // Held from the first byte until the answer is a value (see UpstreamClient.send).
    this.hold = this.limits.budget.open(this.limits.provider);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.settled) return true;
    this.size += chunk.length;
    if (this.size > this.limits.maxBytes) {
      const error = new ResponseTooLargeError();
      this.abort?.(error);
      this.fail(error);
      return true;
    }
    this.chunks.push(chunk);
    const hold = this.hold as AnswerHold;
    if (hold.take(chunk.length)) return true;
    // Past the process's budget: undici stops reading the socket until the budget has room.
    hold.whenRoom(() => this.resume?.());
    return false;
  }

  onComplete(): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.unwatch(this);
    const hold = this.hold ?? this.limits.budget.open(this.limits.provider);
    const chunks = this.chunks;
    this.chunks = [];
    try {
      const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.size);
      this.resolve({ status: this.status, headers: this.headers, text: answerText(bytes, this.headers['content-type']), hold });
    } catch (error) {
      hold.close();
      this.reject(error);
    }
  }

  onError(error: Error): void {
    // Past the headers, a failure not of our own making (the deadline, a cancel, the size limit's abort) is the answer cut short.
    const ours = this.signal.aborted || error instanceof ResponseTooLargeError;
    this.fail(this.status !== 0 && !ours ? new AnswerCutShortError(error) : error);
  }

  private fail(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.signal.unwatch(this);
    this.chunks = [];
    this.hold?.close();
    this.reject(error);
  }
}
