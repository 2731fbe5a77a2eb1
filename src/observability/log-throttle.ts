/**
 * At most one log line per key (a client address) per period, saying how many
 * were left out since the last: a flood of refusals would otherwise write a
 * line per refusal, as fast as the client can cause them.
 */
export class LogThrottle {
  private readonly lines = new Map<string, { at: number; leftOut: number }>();

  constructor(
    private readonly periodMs: number,
    /** Keys remembered at most: past it, those whose period is over are forgotten. */
    private readonly maxKeys = 10_000,
  ) {}

  /** The number left out since the key's last line when a line may be written now, else null (counted as left out). */
  take(key: string, now = Date.now()): number | null {
    const last = this.lines.get(key);
    if (last !== undefined && now - last.at < this.periodMs) {
      last.leftOut += 1;
      return null;
    }
    if (last === undefined && this.lines.size >= this.maxKeys) this.forgetOlderThan(now - this.periodMs);
    // Still full of keys within their period: the line is written, the key not remembered.
    if (last !== undefined || this.lines.size < this.maxKeys) this.lines.set(key, { at: now, leftOut: 0 });
    return last?.leftOut ?? 0;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, line] of this.lines) if (line.at < cutoff) this.lines.delete(key);
  }
}
