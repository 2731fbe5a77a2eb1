interface Line {
  at: number;
  leftOut: number;
}

/**
 * At most one log line per key (a client address) per period, saying how many
 * were left out since the last: a flood of refusals would otherwise write a
 * line per refusal, as fast as the client can cause them.
 */
export class LogThrottle {
  /** In the order of their last line, oldest first: forgetting stops at the first one still in its period. */
  private readonly lines = new Map<string, Line>();
  /**
   * The keys that found no room, together: one line per period for all of them. Written once
   * for each (the earlier rule), a flood from more keys than maxKeys, each within its period,
   * was a line per refusal again.
   */
  private readonly overflow: Line = { at: Number.NEGATIVE_INFINITY, leftOut: 0 };

  constructor(
    private readonly periodMs: number,
    /** Keys remembered at most: past it, those whose period is over are forgotten. */
    private readonly maxKeys = 10_000,
  ) {}

  /** The number left out since the key's last line when a line may be written now, else null (counted as left out). */
  take(key: string, now = Date.now()): number | null {
    const last = this.lines.get(key);
    if (last !== undefined) {
      if (now - last.at < this.periodMs) return leaveOut(last);
      // Its period begins again: it moves to the back of the order.
      this.lines.delete(key);
      this.lines.set(key, { at: now, leftOut: 0 });
      return last.leftOut;
    }
    if (this.lines.size >= this.maxKeys) this.forgetOlderThan(now - this.periodMs);
    if (this.lines.size < this.maxKeys) {
      this.lines.set(key, { at: now, leftOut: 0 });
      return 0;
    }
    // Still full of keys within their period: this one shares the overflow's line.
    if (now - this.overflow.at < this.periodMs) return leaveOut(this.overflow);
    const leftOut = this.overflow.leftOut;
    this.overflow.at = now;
    this.overflow.leftOut = 0;
    return leftOut;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, line] of this.lines) {
      if (line.at >= cutoff) return;
      this.lines.delete(key);
    }
  }
}

function leaveOut(line: Line): null {
  line.leftOut += 1;
  return null;
}
