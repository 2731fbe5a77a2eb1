/** `limits.maxAnswerBytesHeld` when the config says nothing: four answers at the size limit. */
export const ANSWER_BYTES_HELD_DEFAULT = 128 * 1024 * 1024;

/**
 * The bytes of upstream answers held while they are read and turned into values, all accounts
 * of a gateway together (`limits.maxAnswerBytesHeld`). Sixteen concurrent answers of 31 MiB
 * from one account (its default concurrency, each within the answer size limit) took the
 * process from 239 MB to 1.3 GB; several accounts multiplied it. With this budget at its default
 * the compiled gateway peaked at 480-545 MiB, against 614-1179 without (bench/answer-budget-rss.ts).
 *
 * Past the budget a reader pauses its answer's stream (undici then stops reading the socket:
 * the provider waits in TCP) until bytes are released, except the reader of each account that
 * started first, which always goes on: some answer of every account always finishes, so nothing
 * waits forever, and the bytes held stay within the budget plus one answer per account reading
 * (and a socket read, 64 KiB, per paused reader: the chunk that found the budget spent is
 * already in memory). With one oldest reader for all accounts, an account whose answers filled
 * the budget and whose provider held back their last bytes (hostile, or slow) paused every
 * other account's answers until its own timeout: their reads timed out, and their breakers
 * opened, for as long as that provider liked.
 *
 * Each account's open holds form a list in the order they started (the oldest at its `head`):
 * appending and unlinking one is a few pointer writes, so an answer of kilobytes pays a counter
 * add and subtract and no promise.
 */
export class AnswerBytesBudget {
  /** Bytes held by open holds now (the gauge `backup_graph_upstream_answer_bytes_held`). */
  held = 0;
  /** The most `held` has been since this budget was made: for tests and benches. */
  peak = 0;
  /** Readers paused now (the gauge `backup_graph_upstream_answer_reads_paused`). */
  paused = 0;
  /** @internal Each account's open holds, oldest first; an account without one has none here. */
  readonly lines = new Map<string, HoldLine>();

  constructor(readonly limit: number) {}

  /** A hold for one answer of `account` about to be read; close it once the answer is done with, whatever happened. */
  open(account: string): AnswerHold {
    let line = this.lines.get(account);
    if (line === undefined) {
      line = new HoldLine(account);
      this.lines.set(account, line);
    }
    const hold = new AnswerHold(this, line);
    hold.previous = line.tail;
    if (line.tail === null) line.head = hold;
    else line.tail.next = hold;
    line.tail = hold;
    return hold;
  }

  /** @internal After bytes were released: each account's oldest reader goes on; the others when the budget has room. */
  wake(): void {
    for (const line of this.lines.values()) {
      for (let hold = line.head; hold !== null && this.paused > 0; hold = hold.next) {
        if (hold === line.head || this.held <= this.limit) hold.resume();
      }
    }
  }
}

/** @internal One account's open holds, oldest first. */
export class HoldLine {
  head: AnswerHold | null = null;
  tail: AnswerHold | null = null;

  constructor(readonly account: string) {}
}

/** One answer's share of the budget. */
export class AnswerHold {
  /** @internal */
  previous: AnswerHold | null = null;
  /** @internal */
  next: AnswerHold | null = null;
  private bytes = 0;
  private closed = false;
  private resumeReading: (() => void) | null = null;

  constructor(
    private readonly budget: AnswerBytesBudget,
    private readonly line: HoldLine,
  ) {}

  /** Bytes of the answer read so far (until `close`). */
  get taken(): number {
    return this.bytes;
  }

  /**
   * Counts `size` more bytes read. True: read on. False: the budget is spent and this is not
   * its account's oldest reader, so the caller pauses its stream and calls `whenRoom`.
   */
  take(size: number): boolean {
    const budget = this.budget;
    this.bytes += size;
    budget.held += size;
    if (budget.held > budget.peak) budget.peak = budget.held;
    return budget.held <= budget.limit || this.line.head === this;
  }

  /** `resume` is called once, when the budget has room again or this reader has become its account's oldest. */
  whenRoom(resume: () => void): void {
    if (this.closed || this.resumeReading !== null) return;
    this.resumeReading = resume;
    this.budget.paused += 1;
  }

  /** @internal */
  resume(): void {
    const resume = this.resumeReading;
    if (resume === null) return;
    this.resumeReading = null;
    this.budget.paused -= 1;
    resume();
  }

  /** Releases every byte this answer held (read, failed, refused or cancelled alike); once is enough, twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const budget = this.budget;
    const line = this.line;
    if (this.resumeReading !== null) {
      this.resumeReading = null;
      budget.paused -= 1;
    }
    budget.held -= this.bytes;
    this.bytes = 0;
    if (this.previous === null) line.head = this.next;
    else this.previous.next = this.next;
    if (this.next === null) line.tail = this.previous;
    else this.next.previous = this.previous;
    this.previous = this.next = null;
    if (line.head === null) budget.lines.delete(line.account);
    if (budget.paused > 0) budget.wake();
  }
}
