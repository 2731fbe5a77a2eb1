import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisUrlSetting } from '../config/env-redis-url.js';
import type { Operation } from '../domain/types.js';
import { closeAll, closeRedis } from '../state/close-redis.js';
import { REDIS_COMMAND_TIMEOUT_MS, closeDeadline } from '../state/redis-timeouts.js';
import { decodeStored, encodeStored } from '../state/stored-json.js';
import { RedisConnectionLiveness, type RedisConnectionState } from '../state/redis-connection-state.js';
import { isBusEvent, isOperationShape } from './bus-event-shape.js';
import { logBusConnection } from './bus-connection-lines.js';
import type { BusEvent, OperationBus } from './operation-bus.js';


/** Extends the lease only while this replica still holds it (compare, then expire, atomically). */
const RENEW = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
/** Deletes the lease only while this replica still holds it. */
const RELEASE = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

interface Envelope {
  /** The replica that sent it, so a replica skips its own messages. */
  from: string;
  event: BusEvent;
}

/**
 * The operation bus over Redis: the lease is a key set with NX and PX (renewed
 * by its holder on each poll), statuses go out on a pub/sub channel per
 * operation, and the last one is kept under a key for late joiners. Pub/sub
 * needs a connection of its own (a subscribed connection cannot run commands).
 */
export class RedisOperationBus implements OperationBus {
  private readonly commands: Redis;
  private readonly subscriber: Redis;
  /** Listeners per channel: the channel is left only when its last one goes, so a quick leave-and-rejoin keeps it. */
  private readonly handlers = new Map<string, Set<(event: BusEvent) => void>>();
  /** Told of each write another replica announces (see announceWrite). */
  private readonly writeListeners = new Set<(providerId: string) => void>();
  /** This replica's name in leases and messages. */
  readonly replica = randomUUID();
  /** Stops the connection lines (bus-connection-lines.ts) at close. */
  private readonly unwatch: Array<() => void> = [];
  /** Whether Redis answers each connection, for the gauge and /readyz (made at their first read). */
  private liveness: RedisConnectionLiveness[] | undefined;

  /** `urlSetting`: the variable the URL came from, as the connection lines name it. */
  constructor(url: string, private readonly prefix = 'backup-graph:', logger?: Logger, urlSetting: RedisUrlSetting = 'REDIS_URL') {
    // A Redis that stops answering fails its commands (see REDIS_COMMAND_TIMEOUT_MS): the watcher then polls alone.
    const options = { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, commandTimeout: REDIS_COMMAND_TIMEOUT_MS } as const;
    this.commands = new Redis(url, options);
    this.subscriber = new Redis(url, options);
    // Trouble reaches the caller through each failed command; unheard, the event would go to stderr.
    this.commands.on('error', () => {});
    this.subscriber.on('error', () => {});
    if (logger) this.unwatch.push(logBusConnection(this.commands, 'operation bus', logger, urlSetting), logBusConnection(this.subscriber, 'operation bus subscriber', logger, urlSetting));
    this.subscriber.on('message', (channel: string, text: string) => this.onMessage(channel, text));
  }

  /** Connected, and listening to the replicas' write announcements (ioredis listens again after a reconnect). */
  async ready(): Promise<void> {
    await Promise.all([this.commands.connect(), this.subscriber.connect()]);
    await this.subscriber.subscribe(this.writtenChannel);
  }

  private leaseKey = (id: string) => `${this.prefix}op-lease:${id}`;
  private lastKey = (id: string) => `${this.prefix}op-last:${id}`;
  private channel = (id: string) => `${this.prefix}op:${id}`;
  /** One channel for every account's writes: a handful a second at most, one message each. */
  private get writtenChannel(): string {
    return `${this.prefix}written`;
  }

  async announceWrite(providerId: string): Promise<void> {
    await this.commands.publish(this.writtenChannel, encodeStored({ from: this.replica, providerId }));
  }

  onWrite(listener: (providerId: string) => void): void {
    this.writeListeners.add(listener);
  }

  async claim(id: string, ttlMs: number): Promise<boolean> {
    const ttl = Math.max(1, Math.round(ttlMs));
    if ((await this.commands.set(this.leaseKey(id), this.replica, 'PX', ttl, 'NX')) === 'OK') return true;
    return Number(await this.commands.eval(RENEW, 1, this.leaseKey(id), this.replica, String(ttl))) === 1;
  }

  async release(id: string): Promise<void> {
    await this.commands.eval(RELEASE, 1, this.leaseKey(id), this.replica);
  }

  async publish(id: string, event: BusEvent, keepMs: number): Promise<void> {
    const text = encodeStored({ from: this.replica, event } satisfies Envelope);
    const pipeline = this.commands.pipeline();
    if (event.type === 'status') pipeline.set(this.lastKey(id), encodeStored(event.operation), 'PX', Math.max(1, Math.round(keepMs)));
    pipeline.publish(this.channel(id), text);
    const answers = await pipeline.exec();
    const failed = answers?.find(([error]) => error !== null);
    if (failed?.[0]) throw failed[0];
  }

  /** Undefined as well for a value of another shape (another version's, truncated): the poll finds the status. */
  async last(id: string): Promise<Operation | undefined> {
    const text = await this.commands.get(this.lastKey(id));
    if (text === null) return undefined;
    let operation: unknown;
    try {
      operation = decodeStored<unknown>(text);
    } catch {
      return undefined;
    }
    return isOperationShape(operation) ? operation : undefined;
  }

  async subscribe(id: string, onEvent: (event: BusEvent) => void): Promise<() => Promise<void>> {
    const channel = this.channel(id);
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(onEvent);
    const leave = async () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(onEvent) || current.size > 0) return;
      this.handlers.delete(channel);
      await this.subscriber.unsubscribe(channel);
    };
    try {
      await this.subscriber.subscribe(channel);
    } catch (error) {
      // Not listening: the handler must not stay behind (one per operation watched while Redis is down).
      void leave().catch(() => {});
      throw error;
    }
    return leave;
  }

  connectionStates(): RedisConnectionState[] {
    this.liveness ??= [new RedisConnectionLiveness('operation_bus', this.commands), new RedisConnectionLiveness('operation_bus_subscriber', this.subscriber)];
    return this.liveness.map((connection) => connection.state());
  }

  async close(deadline?: number): Promise<void> {
    this.handlers.clear();
    this.writeListeners.clear();
    for (const stop of this.unwatch.splice(0)) stop();
    const by = deadline ?? closeDeadline();
    await closeAll([closeRedis(this.commands, 'operation bus', by), closeRedis(this.subscriber, 'operation bus subscriber', by)]);
  }

  private onMessage(channel: string, text: string): void {
    if (channel === this.writtenChannel) {
      this.onWritten(text);
      return;
    }
    const handlers = this.handlers.get(channel);
    if (!handlers) return;
    let envelope: unknown;
    try {
      envelope = decodeStored<unknown>(text);
    } catch {
      return;
    }
    if (envelope === null || typeof envelope !== 'object') return;
    const { from, event } = envelope as Partial<Envelope>;
    if (from === this.replica || !isBusEvent(event)) return;
    for (const handler of handlers) {
      // This runs inside ioredis's reply handling: a throw here would end the process.
      try {
        handler(event);
      } catch {
        // One subscriber's trouble is not the connection's.
      }
    }
  }

  private onWritten(text: string): void {
    const providerId = writtenAccount(text, this.replica);
    if (providerId === undefined) return;
    for (const listener of this.writeListeners) {
      // Inside ioredis's reply handling, as onMessage: a throw here would end the process.
      try {
        listener(providerId);
      } catch {
        // One listener's trouble is not the connection's.
      }
    }
  }
}

/** A write announcement: read, not trusted (see bus-event-shape.ts); this replica's own are skipped. */
function writtenAccount(text: string, replica: string): string | undefined {
  let message: unknown;
  try {
    message = decodeStored<unknown>(text);
  } catch {
    return undefined;
  }
  if (message === null || typeof message !== 'object') return undefined;
  const { from, providerId } = message as { from?: unknown; providerId?: unknown };
  return from !== replica && typeof providerId === 'string' ? providerId : undefined;
}

/** The bus for REDIS_URL (redis:// or rediss://), connected; with a logger, its connections' trouble is logged, naming `urlSetting`. */
export async function createRedisOperationBus(url: string, logger?: Logger, urlSetting: RedisUrlSetting = 'REDIS_URL'): Promise<RedisOperationBus> {
  const bus = new RedisOperationBus(url, undefined, logger, urlSetting);
  await bus.ready();
  return bus;
}
