import { randomUUID } from 'node:crypto';
import type { ChainableCommander, Redis } from 'ioredis';
import { answerWithinMs } from './bounded-call.js';
import type { CounterConnection } from './redis-counters.js';
import { SHARED_COUNT_WAIT_MS } from './shared-counter.js';
import { HOLDINGS_LEASE_MS, type HeldCount, type SharedHoldings } from './shared-holdings.js';

/**
 * SharedHoldings in Redis, without scripts (managed Redis often refuses them): per key a hash
 * `<prefix>limits:held:<key>`, one field per replica holding its count, and per replica a lease
 * `<prefix>limits:held-replica:<replica>` that a heartbeat renews every third of HOLDINGS_LEASE_MS.
 * A total is this replica's count plus the fields whose replica's lease is alive; a dead
 * replica's fields are deleted by whoever finds them.
 *
 * Counts are written whole, never added to, and in the order this replica's counts changed (one
 * connection keeps its commands' order): a write lost to a failing Redis is mended by the next
 * heartbeat, which writes every count again, and a replica's count is checked after it is written,
 * so two replicas taking the last place at once both see both places taken.
 *
 * As RedisCounters: once a call has failed or come late, the next totals are asked for but not
 * waited for until one answers in time again.
 */
export class RedisHoldings implements SharedHoldings {
  private readonly replica = randomUUID();
  /** This replica's counts above 0, written again by each heartbeat. */
  private readonly counts = new Map<string, number>();
  /**
   * Keys back at 0 whose delete has not landed (Redis failing), deleted again by each heartbeat: a
   * count left behind would hold its client's places for as long as this replica lives. At most
   * MAX_DELETES_KEPT: past it one is let go, and its count stays until its hash expires.
   */
  private readonly deletes = new Set<string>();
  private readonly heartbeat: NodeJS.Timeout;
  private failing = false;
  private renewing = false;

  constructor(
    private readonly connection: CounterConnection,
    private readonly onFailure: (error: unknown) => void,
    private readonly leaseMs = HOLDINGS_LEASE_MS,
  ) {
    this.heartbeat = setInterval(() => void this.renew(), Math.max(1, Math.floor(leaseMs / 3)));
    this.heartbeat.unref();
    void this.renew();
  }

  async hold(counts: readonly HeldCount[]): Promise<number[] | null> {
    for (const count of counts) this.remember(count);
    const answered = answerWithinMs(this.totals(counts), SHARED_COUNT_WAIT_MS).then(
      (totals) => {
        this.failing = false;
        return totals;
      },
      (error: unknown) => {
        this.failing = true;
        this.onFailure(error);
        return null;
      },
    );
    return this.failing ? null : answered;
  }

  record(count: HeldCount): void {
    this.remember(count);
    const batch = this.redis.multi();
    this.write(batch, count);
    void execute(batch).then(
      () => this.deleted([count.key]),
      (error: unknown) => {
        if (count.held === 0 && !this.counts.has(count.key)) this.keepDelete(count.key);
        this.onFailure(error);
      },
    );
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.redis.del(this.leaseKey(this.replica)).catch(() => undefined);
  }

  private get redis(): Redis {
    return this.connection.client as Redis;
  }

  private async totals(counts: readonly HeldCount[]): Promise<number[]> {
    const batch = this.redis.multi();
    for (const count of counts) this.write(batch, count);
    for (const { key } of counts) batch.hgetall(this.hashKey(key));
    const replies = await execute(batch);
    const fields = replies.slice(replies.length - counts.length) as Array<Record<string, string>>;
    const others = new Set(fields.flatMap((byReplica) => Object.keys(byReplica).filter((replica) => replica !== this.replica)));
    const alive = new Set<string>();
    if (others.size > 0) {
      const replicas = [...others];
      const leases = await this.redis.mget(replicas.map((replica) => this.leaseKey(replica)));
      replicas.forEach((replica, at) => (leases[at] === null ? this.forgetReplica(replica, counts) : alive.add(replica)));
    }
    return counts.map(({ held }, at) => {
      const byReplica = fields[at] ?? {};
      return held + Object.entries(byReplica).reduce((sum, [replica, count]) => sum + (alive.has(replica) ? Number(count) || 0 : 0), 0);
    });
  }

  /** Writes every count again and renews the lease; skipped while the last renewal is still out (a stalled Redis). */
  private async renew(): Promise<void> {
    if (this.renewing) return;
    this.renewing = true;
    const deletes = [...this.deletes];
    const batch = this.redis.multi().set(this.leaseKey(this.replica), '1', 'PX', this.leaseMs);
    for (const [key, held] of this.counts) this.write(batch, { key, held });
    for (const key of deletes) this.write(batch, { key, held: 0 });
    try {
      await execute(batch);
      this.deleted(deletes);
    } catch (error) {
      this.onFailure(error);
    } finally {
      this.renewing = false;
    }
  }

  private write(batch: ChainableCommander, { key, held }: HeldCount): void {
    const hash = this.hashKey(key);
    // The hash outlives no replica by long: each write, and each heartbeat of a holder, renews it.
    if (held > 0) batch.hset(hash, this.replica, String(held)).pexpire(hash, this.leaseMs * 2);
    else batch.hdel(hash, this.replica);
  }

  private remember({ key, held }: HeldCount): void {
    if (held > 0) {
      this.counts.set(key, held);
      this.deletes.delete(key);
      return;
    }
    this.counts.delete(key);
    this.keepDelete(key);
  }

  private keepDelete(key: string): void {
    if (this.deletes.size < MAX_DELETES_KEPT) this.deletes.add(key);
  }

  /** Deletes that have landed, of keys still at 0: nothing left to write again. */
  private deleted(keys: readonly string[]): void {
    for (const key of keys) if (!this.counts.has(key)) this.deletes.delete(key);
  }

  /** A replica whose lease has expired: its counts go from the keys it was found in (not waited for). */
  private forgetReplica(replica: string, counts: readonly HeldCount[]): void {
    const batch = this.redis.multi();
    for (const { key } of counts) batch.hdel(this.hashKey(key), replica);
    execute(batch).catch(() => undefined);
  }

  private hashKey(key: string): string {
    return `${this.connection.prefix}limits:held:${key}`;
  }

  private leaseKey(replica: string): string {
    return `${this.connection.prefix}limits:held-replica:${replica}`;
  }
}

/** Deletes kept for a failing Redis: a bound on what an outage lets clients coming and going add to memory. */
const MAX_DELETES_KEPT = 10_000;

/** A MULTI's replies, or its first error: EXEC answers each command's error in its place. */
async function execute(batch: ChainableCommander): Promise<unknown[]> {
  const replies = await batch.exec();
  if (replies === null) throw new Error('the shared store discarded a transaction');
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}
