import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Principal } from '../gateway/principal.js';
import { protectionReader, type ProtectionCounts } from '../gateway/protection.js';
import { RequestReads } from '../gateway/request-reads.js';
import type { SharedServices } from '../gateway/shared-services.js';
import { cancellationController } from '../server/request-signal.js';
import { accountsToExport } from './sweep-carry-over.js';
import { isSweepResult, type SweepResult } from './sweep-result.js';
import { sweepKeys, type SweepKeys } from './sweep-keys.js';
import { storeErrorFields } from './store-error-fields.js';
import { StoreTimeout, answerWithinMs } from '../state/bounded-call.js';

/**
 * How long a scrape waits for the last result. A Redis that stopped answering held /metrics (every
 * metric, not only these) for its 5 s command timeout; past this the protection gauges go absent.
 */
const RESULT_WAIT_MS = 500;

/** How long a tick waits for the lease before sweeping for itself (a claim that lands later holds off the others all the same). */
const CLAIM_WAIT_MS = 2_000;

const HOUR_MS = 3_600_000;


/**
 * How long a claim holds off the other replicas: a tenth (at most a second)
 * short of the interval. A lease of the whole interval was still held when
 * the claimant's own timer fired one interval later (to the millisecond), so
 * a lone replica skipped about a third of its sweeps.
 */
export const leaseMs = (intervalMs: number): number => Math.max(1, intervalMs - Math.min(Math.ceil(intervalMs / 10), 1_000));

/** The sweep reads like a viewer that sees every account. */
const SWEEPER: Principal = { name: 'protection-sweep', keyId: 'protection-sweep', roles: new Set(['viewer']), providers: null };

const STATUS_LABELS: Array<[Exclude<keyof ProtectionCounts, 'instances'>, string]> = [
  ['protected', 'PROTECTED'],
  ['stale', 'STALE'],
  ['unprotected', 'UNPROTECTED'],
  ['unknown', 'UNKNOWN'],
];

/**
 * Alerts without a dashboard open: every `intervalMs` the protection summary
 * is computed in the background (through the same loaders and read cache as a
 * query) and kept in the shared store; Prometheus gauges of instances per
 * status and provider read it at scrape time. With Redis, one replica sweeps
 * per interval: each tick claims a lease (SET NX PX, via setIfAbsent) that
 * lasts nearly the interval (see leaseMs), and only the claimant sweeps; the others export what it
 * stored. An account that fails a sweep keeps its last-known counts (sweep-carry-over.ts).
 * A replica that cannot reach the store (Redis down) sweeps for itself each
 * tick and exports its own result, as operation polls do: no replica swept
 * while Redis was down, and the sweep's timestamp alert fired for an outage
 * of Redis, not of the sweep. Its own result is exported only while it is
 * newer than the store's and younger than the store would keep it.
 */
export class ProtectionSweep {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<boolean> | null = null;
  private sweeps = 0;
  private readonly replica = randomUUID();
  private readonly failures: Counter<'provider'>;
  /** Aborted by `stop`: a round's upstream reads are cancelled, so shutdown never waits on a slow provider. */
  private readonly stopping = cancellationController();
  /** The read under way: the four gauges of one scrape share it (one GET, not four). */
  private reading: Promise<SweepResult | undefined> | null = null;
  /** This replica's last sweep, for when the store cannot give one (see `newest`). */
  private own: SweepResult | undefined;
  /** Its accounts' lease and result: another set of accounts on the same Redis has its own (sweep-keys.ts). */
  readonly keys: SweepKeys;

  constructor(
    private readonly services: SharedServices,
    registry: Registry,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.keys = sweepKeys(services.providers.all.map((adapter) => adapter.account));
    const latest = () => this.latest();
    new Gauge({
      name: 'backup_graph_protection_instances',
      help: 'Instances per protection status and provider account, from the last protection sweep; a failed account\'s from its last sweep that read it whole (last-known, with provider_failed 1).',
      labelNames: ['provider', 'status'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const result = await latest();
        for (const provider of result?.providers ?? []) {
          for (const [field, status] of STATUS_LABELS) this.set({ provider: provider.id, status }, provider.counts[field]);
        }
      },
    });
    new Gauge({
      name: 'backup_graph_protection_provider_failed',
      help: '1 when the provider account failed (its instances could not all be judged) in the last protection sweep.',
      labelNames: ['provider'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const result = await latest();
        for (const id of result?.failedProviders ?? []) this.set({ provider: id }, 1);
      },
    });
    new Gauge({
      name: 'backup_graph_protection_provider_read_timestamp_seconds',
      help: 'When the provider account\'s exported counts were read with nothing failing (Unix seconds); alert when last-known counts grow old.',
      labelNames: ['provider'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const result = await latest();
        for (const provider of result?.providers ?? []) if (provider.readAt !== undefined) this.set({ provider: provider.id }, provider.readAt / 1000);
      },
    });
    new Gauge({
      name: 'backup_graph_protection_sweep_duration_seconds',
      help: 'How long the last protection sweep took.',
      registers: [registry],
      async collect() {
        this.reset();
        const result = await latest();
        if (result) this.set(result.seconds);
      },
    });
    // The rules' thresholds are past it: a healthy sweep, and each account's last whole read, are up
    // to an interval old, and against an hour alone a sweep every 2 h read as stopped for most of each.
    new Gauge({
      name: 'backup_graph_protection_sweep_interval_seconds',
      help: 'protection.sweepIntervalMs in seconds: how old the last sweep may be with nothing wrong.',
      registers: [registry],
      collect() {
        this.set(intervalMs / 1000);
      },
    });
    new Gauge({
      name: 'backup_graph_protection_sweep_timestamp_seconds',
      help: 'When the last protection sweep finished (Unix seconds); alert when it stops moving.',
      registers: [registry],
      async collect() {
        this.reset();
        const result = await latest();
        if (result) this.set(result.finishedAt / 1000);
      },
    });
    this.failures = new Counter({
      name: 'backup_graph_protection_sweep_errors_total',
      help: 'Provider accounts that failed during protection sweeps on this replica (provider="" when the sweep itself failed).',
      labelNames: ['provider'] as const,
      registers: [registry],
    });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping.abort();
    await this.running;
  }

  /** One tick: sweeps when this replica holds the lease and no sweep of its own is running. True when it swept. */
  tick(): Promise<boolean> {
    if (this.stopping.signal.aborted) return Promise.resolve(false);
    this.running ??= this.claimAndSweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async claimAndSweep(): Promise<boolean> {
    try {
      if (!(await this.claim())) return false;
      await this.sweep();
      return true;
    } catch (error) {
      if (this.stopping.signal.aborted) return false;
      this.failures.inc({ provider: '' });
      this.logger.warn({ err: error }, 'protection sweep failed');
      return false;
    }
  }

  /** Whether this replica sweeps this tick: it holds the lease, or the store cannot be asked (every replica then sweeps). */
  private async claim(): Promise<boolean> {
    try {
      // This tick's own: a lease this replica claimed at an earlier tick is not this claim.
      const claim = `${this.replica}:${randomUUID()}`;
      if (await answerWithinMs(this.services.store.setIfAbsent(this.keys.lease, claim, leaseMs(this.intervalMs)), CLAIM_WAIT_MS)) return true;
      // Held by this very claim: Redis ran it, its answer was lost with the connection, and ioredis
      // sent it again once reconnected, which answered "held". Read as another's, no replica swept
      // that interval (the others found the lease held).
      return (await answerWithinMs(this.services.store.get<unknown>(this.keys.lease), CLAIM_WAIT_MS)) === claim;
    } catch (error) {
      if (this.stopping.signal.aborted) return false;
      this.logger.warn(storeErrorFields(error), 'the protection sweep lease could not be claimed; this replica sweeps for itself');
      return true;
    }
  }

  private async sweep(): Promise<void> {
    const started = performance.now();
    const request = new RequestReads(this.services, SWEEPER, `protection-sweep-${++this.sweeps}`, this.stopping.signal);
    const reader = protectionReader(request);
    const summary = await reader.summary({});
    // A round cut short by shutdown counts nothing and stores nothing.
    if (this.stopping.signal.aborted) return;
    const failedProviders = summary.providerErrors.map((error) => error.provider.account.id);
    for (const provider of failedProviders) this.failures.inc({ provider });
    // Read only when something failed: a failed account keeps the counts the last result holds of it.
    const previous = failedProviders.length > 0 ? await this.readLatest('the last-known counts of failed accounts are left out of this sweep') : undefined;
    if (this.stopping.signal.aborted) return;
    const finishedAt = Date.now();
    const swept = summary.providers.map((entry) => ({ id: entry.provider.account.id, counts: entry.counts }));
    const result: SweepResult = {
      finishedAt,
      seconds: (performance.now() - started) / 1000,
      providers: accountsToExport(swept, failedProviders, previous, finishedAt, (id) => reader.rpoFor(id) * HOUR_MS),
      failedProviders,
    };
    this.own = result;
    // Kept for three intervals: when sweeps stop, the gauges go absent rather than lie.
    try {
      await this.services.store.set(this.keys.result, result, this.resultTtlMs());
    } catch (error) {
      this.logger.warn(storeErrorFields(error), 'the protection sweep result could not be stored; this replica exports its own');
    }
  }

  private resultTtlMs(): number {
    return Math.max(3 * this.intervalMs, 60_000);
  }

  /**
   * The newer of the store's result and this replica's own, the own one only
   * while the store would still keep it: with Redis down the store gives
   * none, and a replica's own sweeps carry on.
   */
  private newest(stored: SweepResult | undefined): SweepResult | undefined {
    const own = this.own;
    if (own === undefined || Date.now() - own.finishedAt >= this.resultTtlMs()) return stored;
    return stored !== undefined && stored.finishedAt >= own.finishedAt ? stored : own;
  }

  /** The last result, or undefined: none, or one of another shape (see isSweepResult; the gauges then go absent). */
  private latest(): Promise<SweepResult | undefined> {
    this.reading ??= this.readLatest().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  /** `leftOut`: what goes without it, for the log. */
  private async readLatest(leftOut = 'its gauges are left out of this scrape'): Promise<SweepResult | undefined> {
    try {
      const result = await answerWithinMs(this.services.store.get<unknown>(this.keys.result), RESULT_WAIT_MS);
      if (result === undefined) return this.newest(undefined);
      // One of another shape is another version's or writer's: not mixed with this replica's own.
      return isSweepResult(result) ? this.newest(result) : undefined;
    } catch (error) {
      // A store that could not be asked; text that is no JSON is another writer's, as above.
      const own = error instanceof SyntaxError ? undefined : this.newest(undefined);
      if (own !== undefined) return own;
      if (error instanceof StoreTimeout) this.logger.warn(`the last protection sweep could not be read in time; ${leftOut}`);
      else this.logger.warn({ ...storeErrorFields(error), leftOut }, 'could not read the last protection sweep');
      return undefined;
    }
  }
}
