/**
 * Invalidations of the shared read cache that the store did not take (Redis
 * unreachable from this replica when a mutation landed). Left there, the
 * other replicas went on serving what the mutation changed for the account's
 * cacheTtlMs after Redis was back; kept here, each is sent again every
 * `everyMs` until it lands or the entries it drops would have expired anyway.
 */
export class LateInvalidations {
  private readonly jobs = new Map<string, { write: () => Promise<void>; until: number }>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly everyMs = 1_000,
    /** Most kept at once (one per instance set); the oldest go first. */
    private readonly most = 10_000,
  ) {}

  /** Kept under `key` (a later one for the same instances replaces it) for `keepMs`. */
  add(key: string, write: () => Promise<void>, keepMs: number): void {
    this.jobs.delete(key);
    this.jobs.set(key, { write, until: Date.now() + keepMs });
    for (const oldest of this.jobs.keys()) {
      if (this.jobs.size <= this.most) break;
      this.jobs.delete(oldest);
    }
    if (!this.timer) {
      this.timer = setInterval(() => void this.retry(), this.everyMs);
      this.timer.unref();
    }
  }

  get size(): number {
    return this.jobs.size;
  }

  private async retry(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (const [key, job] of [...this.jobs]) {
        if (Date.now() > job.until) {
          this.jobs.delete(key);
          continue;
        }
        try {
          await job.write();
        } catch {
          // Still unreachable: the rest wait for the next round.
          break;
        }
        if (this.jobs.get(key) === job) this.jobs.delete(key);
      }
    } finally {
      this.running = false;
      if (this.jobs.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    }
  }
}

/**
 * A queue's hand for a Zomro restore's mark the store did not take (KeptOutcomes' SendAgain), its
 * key kept apart from the started records' under the marks' namespace.
 */
export const lateStoreWritesOf =
  (late: LateInvalidations, namespace: string) =>
  (key: string, write: () => Promise<void>, keepMs: number): void =>
    late.add(`${namespace}:${key}`, write, keepMs);
