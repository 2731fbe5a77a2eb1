import { Redis, ReplyError } from 'ioredis';
import type { KeyValueStore, StoreEntry } from './store.js';
import { nextTurn } from '../domain/turns.js';
import { closeRedis } from './close-redis.js';
import { REDIS_COMMAND_TIMEOUT_MS, closeDeadline } from './redis-timeouts.js';
import { STORED_CHARS_PER_TURN, decodeStored, decodeStoredInTurns, encodeStored, encodeStoredInTurns } from './stored-json.js';
import type { RedisUrlSetting } from '../config/env-redis-url.js';
import { redisDatabaseRefusedMessage, redisUnreachableMessage } from './redis-unreachable.js';
import { watchConnection } from './redis-connection-trouble.js';
import { RedisConnectionLiveness, type RedisConnectionState } from './redis-connection-state.js';

/** Redis runs a script whole, with no command of another client between its look and its delete. */
const DELETE_UNLESS_HELD = "if redis.call('exists', KEYS[2]) == 0 and redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

export { REDIS_COMMAND_TIMEOUT_MS };

/** Sets the first key (NX, with its TTL) only while the second exists, atomically. */
const SET_IF_ABSENT_ABOVE = "if redis.call('exists', KEYS[2]) == 1 and redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end return 0";

/** Deletes the key only while it holds the text given, atomically. */
const DELETE_IF_EQUAL = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * Sets the key (with its TTL) only while it holds the text given, atomically; 1 as well when it
 * holds the new text already (the script sent again by ioredis after its answer was lost).
 */
const REPLACE_IF_EQUAL =
  "local held = redis.call('GET', KEYS[1]) if held == ARGV[2] then return 1 end if held == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end return 0";

/** Shared state in Redis, so gateway replicas agree on idempotency records and cached reads. */
export class RedisStore implements KeyValueStore {
  private readonly redis: Redis;
  /** Namespaces share their parent's connection; only the parent closes it. */
  private readonly ownsConnection: boolean;
  /** The REDIS_URL this store connects with; null for a namespace, which shares its parent's. */
  private readonly url: string | null;
  /** Stops keeping the connection's last error for the failure lines (redis-connection-trouble.ts). */
  private unwatch: () => void = () => {};
  /** Whether Redis answers the connection, for the gauge and /readyz (made at their first read). */
  private liveness: RedisConnectionLiveness | undefined;

  constructor(url: string | Redis, private readonly prefix = 'backup-graph:', private readonly urlSetting: RedisUrlSetting = 'REDIS_URL') {
    this.ownsConnection = typeof url === 'string';
    this.url = typeof url === 'string' ? url : null;
    if (typeof url !== 'string') {
      this.redis = url;
      return;
    }
    this.redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true, commandTimeout: REDIS_COMMAND_TIMEOUT_MS });
    // Connection trouble reaches the caller through each failed command; unheard, the
    // event would go to stderr, outside the gateway's logs.
    this.redis.on('error', () => {});
    this.unwatch = watchConnection(this.redis, urlSetting);
  }

  /** Keys under `<prefix><name>:`; Redis's maxmemory bounds them (see docs/configuration.md for the eviction policy). */
  namespace(name: string, _options: { maxEntries: number }): KeyValueStore {
    return new RedisStore(this.redis, `${this.prefix}${name}:`);
  }

  sharedConnection(): { client: object; prefix: string } {
    return { client: this.redis, prefix: this.prefix };
  }

  connectionStates(): RedisConnectionState[] {
    if (!this.ownsConnection) return [];
    this.liveness ??= new RedisConnectionLiveness('store', this.redis);
    return [this.liveness.state()];
  }

  /** Connects; a Redis that cannot be reached fails the start naming it and the first error seen. */
  async ready(): Promise<void> {
    let firstError: unknown;
    const remember = (error: unknown): void => {
      firstError ??= error;
    };
    this.redis.on('error', remember);
    try {
      await this.redis.connect();
    } catch (error) {
      this.unwatch();
      throw this.url === null ? error : new Error(redisUnreachableMessage(this.url, firstError ?? error, this.urlSetting));
    } finally {
      this.redis.off('error', remember);
    }
    await this.selectNamedDatabase();
  }

  /**
   * The URL's database asked for again, its refusal awaited: the SELECT ioredis sends on connecting
   * is refused only through an 'error' event, and the connection then stays in database 0.
   */
  private async selectNamedDatabase(): Promise<void> {
    const database = this.redis.options.db ?? 0;
    if (this.url === null || database === 0) return;
    try {
      await this.redis.select(database);
    } catch (error) {
      throw new Error(redisDatabaseRefusedMessage(this.url, database, error, this.urlSetting));
    }
  }

  async get<T>(key: string): Promise<T | undefined> {
    const text = await this.redis.get(this.prefix + key);
    return text === null ? undefined : decodeStoredInTurns<T>(text);
  }

  async getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    return (await this.getManyAnswered<T>(keys))();
  }

  async getManyAnswered<T>(keys: readonly string[]): Promise<() => Promise<Array<T | undefined>>> {
    if (keys.length === 0) return () => Promise.resolve([]);
    const texts = await this.redis.mget(keys.map((key) => this.prefix + key));
    return async () => {
      const values: Array<T | undefined> = [];
      // Many short texts are as long as one long one together (500 backup lists of 100 KB): a turn between them too.
      let sinceTurn = 0;
      for (const text of texts) {
        if (text !== null && sinceTurn + text.length > STORED_CHARS_PER_TURN) {
          if (sinceTurn > 0) await nextTurn();
          sinceTurn = 0;
        }
        values.push(text === null ? undefined : text.length > STORED_CHARS_PER_TURN ? await decodeStoredInTurns<T>(text) : decodeStored<T>(text));
        sinceTurn += text?.length ?? 0;
      }
      return values;
    };
  }

  set<T>(key: string, value: T, ttlMs: number): Promise<void> {
    const ttl = Math.max(1, Math.round(ttlMs));
    // A value that is no object or array is sent in the caller's own tick, as `setIfAbsent` sends
    // its claim: callers rely on one connection running their calls in the order made. An
    // idempotency claim's live key (`set`, then the claim at once) reached Redis after the claim
    // while `set` awaited its encoding, and a duplicate on another replica that read the claim in
    // between took it for abandoned (CONFLICT "may have acted").
    if (value === null || typeof value !== 'object') return this.redis.set(this.prefix + key, encodeStored(value), 'PX', ttl).then(() => undefined);
    return encodeStoredInTurns(value).then(async (text) => void (await this.redis.set(this.prefix + key, text, 'PX', ttl)));
  }

  async setMany(entries: ReadonlyArray<StoreEntry>): Promise<void> {
    await (await this.setManyPrepared(entries))();
  }

  async setManyPrepared(entries: ReadonlyArray<StoreEntry>): Promise<() => Promise<void>> {
    // Every text first: the pipeline is sent once, whole.
    const texts: string[] = [];
    let sinceTurn = 0;
    for (const { value } of entries) {
      const text = await encodeStoredInTurns(value);
      texts.push(text);
      // As in getManyAnswered: many short values make a long text together.
      sinceTurn += text.length;
      if (sinceTurn > STORED_CHARS_PER_TURN) {
        sinceTurn = 0;
        await nextTurn();
      }
    }
    return async () => {
      if (entries.length === 0) return;
      const pipeline = this.redis.pipeline();
      entries.forEach(({ key, ttlMs }, index) => pipeline.set(this.prefix + key, texts[index] as string, 'PX', Math.max(1, Math.round(ttlMs))));
      const answers = await pipeline.exec();
      const failed = answers?.find(([error]) => error !== null);
      if (failed?.[0]) throw failed[0];
    };
  }

  async setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    const answer = await this.redis.set(this.prefix + key, encodeStored(value), 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return answer === 'OK';
  }

  /**
   * One script; a Redis that refuses scripts gets the look and the set apart, as deleteUnlessHeld
   * does: there a delete of `below` between the two goes unseen, as every take's did before.
   */
  async setIfAbsentAbove<T>(key: string, below: string, value: T, ttlMs: number): Promise<boolean> {
    const [text, ttl] = [encodeStored(value), Math.max(1, Math.round(ttlMs))];
    try {
      return (await this.redis.eval(SET_IF_ABSENT_ABOVE, 2, this.prefix + key, this.prefix + below, text, String(ttl))) === 1;
    } catch (error) {
      // An answer refusing the script; a connection that failed fails the look as well.
      if (!(error instanceof ReplyError)) throw error;
    }
    if ((await this.redis.exists(this.prefix + below)) === 0) return false;
    return (await this.redis.set(this.prefix + key, text, 'PX', ttl, 'NX')) === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  /**
   * One script; a Redis that refuses scripts (an ACL without `EVAL`, a
   * proxy that passes none) answers with an error, and then the look and the
   * delete are sent apart, as before the script: a place given up stayed
   * marked for 24 h on such a Redis, and 32 failed creates of one disk
   * refused the next with CONFLICT for a day.
   */
  async deleteUnlessHeld<T>(key: string, guard: string, holding: T): Promise<boolean> {
    const text = encodeStored(holding);
    try {
      return (await this.redis.eval(DELETE_UNLESS_HELD, 2, this.prefix + key, this.prefix + guard, text)) === 1;
    } catch (error) {
      // An answer refusing the script; a connection that failed fails the look as well.
      if (!(error instanceof ReplyError)) throw error;
    }
    if ((await this.redis.exists(this.prefix + guard)) !== 0 || (await this.redis.get(this.prefix + key)) !== text) return false;
    return (await this.redis.del(this.prefix + key)) === 1;
  }

  /**
   * One script; a Redis that refuses scripts answers with an error, and then the look and the
   * delete are sent apart, as deleteUnlessHeld does: a refused request's claim is released this
   * way, and left it held the key for 24 h.
   */
  async deleteIfEqual<T>(key: string, value: T): Promise<void> {
    const text = encodeStored(value);
    try {
      await this.redis.eval(DELETE_IF_EQUAL, 1, this.prefix + key, text);
      return;
    } catch (error) {
      // An answer refusing the script; a connection that failed fails the look as well.
      if (!(error instanceof ReplyError)) throw error;
    }
    if ((await this.redis.get(this.prefix + key)) === text) await this.redis.del(this.prefix + key);
  }

  /**
   * One script; a Redis that refuses scripts gets the look and the set apart, as deleteIfEqual
   * does. Apart, a key that expired between the two and was taken again would be written over;
   * its callers' keys (an OnApp create's place) hold the caller's value for half an hour.
   */
  async replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    const [expected, text, ttl] = [encodeStored(holding), encodeStored(value), String(Math.max(1, Math.round(ttlMs)))];
    try {
      return (await this.redis.eval(REPLACE_IF_EQUAL, 1, this.prefix + key, expected, text, ttl)) === 1;
    } catch (error) {
      // An answer refusing the script; a connection that failed fails the look as well.
      if (!(error instanceof ReplyError)) throw error;
    }
    const held = await this.redis.get(this.prefix + key);
    if (held === text) return true;
    if (held !== expected) return false;
    await this.redis.set(this.prefix + key, text, 'PX', ttl);
    return true;
  }

  async extendIfPresent(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.pexpire(this.prefix + key, Math.max(1, Math.round(ttlMs)))) === 1;
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.redis.del(...keys.map((key) => this.prefix + key));
  }

  async close(deadline?: number): Promise<void> {
    if (!this.ownsConnection) return;
    this.unwatch();
    await closeRedis(this.redis, 'shared state', deadline ?? closeDeadline());
  }
}
