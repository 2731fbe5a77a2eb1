import type { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config/schema.js';
import { GatewayError } from '../domain/errors.js';
import { growingLru } from '../state/growing-lru.js';
import type { SharedCounter } from '../state/shared-counter.js';
import type { SecretSet } from '../upstream/secrets.js';
import type { Principal } from './principal.js';
import { quotedForms } from './quoted-forms.js';

/** A field of a mutation's input that a provider is sent (and may keep and send back), as the client wrote it. */
export type WrittenText = readonly [field: string, value: string | null | undefined];

export type SecretTextSettings = LimitsConfig['secretTextRefusals'];

/** The schema's default, for services built without a config (benchmarks). */
export const SECRET_TEXT_REFUSALS_DEFAULT: SecretTextSettings = { perKey: 3, windowMs: 24 * 60 * 60 * 1000 };

/** The refusal names the field alone: which part matched, or whose secret it was, would be the oracle again. */
export const secretTextMessage = (field: string): string =>
  `${field} holds text the gateway redacts from provider answers (a form of a configured credential): write it without that text`;

export const secretTextHoldMessage = (retryAfterSeconds: number, who = 'this key'): string =>
  `writes refused: ${who} wrote text the gateway redacts too often; retry after ${retryAfterSeconds} s (limits.secretTextRefusals)`;

/**
 * How many writers' worth of refusals a group of anonymous addresses (an IPv4 /24, an IPv6 /48)
 * may have together: as many addresses as this, and the group is held as a whole.
 */
export const GROUP_SHARE = 4;

/**
 * One count a write's refusals go into: a key's, or an anonymous caller's address (IPv6: its /64)
 * and the /24 or /48 it lies in (`group`, `GROUP_SHARE` times `perKey`). `who` is how the hold names it.
 */
export interface RefusalCount {
  key: string;
  group: boolean;
  who: string;
}

/** The key of an anonymous caller's own count (its address, an IPv6 caller's /64) and of the /24 or /48 around it. */
export const addressCountKey = (member: string): string => `address ${member}`;
export const networkCountKey = (group: string): string => `network ${group}`;
const ANONYMOUS_COUNT = /^(?:address|network) /;

/**
 * Anonymous callers' counts remembered in this process, the least recently seen forgotten first
 * (as limits.authFailures' table): one per address and /24 or /48 that had a refusal, which a
 * holder of many addresses adds at will. Kept apart from client keys' counts, which the config
 * bounds, so no flood of addresses pushes a key's count out.
 */
export const MAX_ANONYMOUS_COUNTS = 50_000;

/** A keyed writer's one count: its key's identity (src/server/secret-text-counts.ts has anonymous callers'). */
export const keyCounts = (principal: Principal): readonly RefusalCount[] => [{ key: principal.keyId, group: false, who: 'this key' }];

/** What a Map and an LRU of counts share. */
interface CountTable<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): unknown;
  delete(key: string): boolean;
}

interface Window {
  startedAt: number;
  refusals: number;
}

/**
 * Refuses client-written text a provider would keep and send back when the read path's scrubber
 * would redact any of it. Read back, a `[redacted]` in a note of candidates told which candidate
 * was a piece of a credential: a key's next character per write (docs/security.md, "the
 * redaction as an oracle"). Refused, no such text reaches a provider, so none reads back redacted;
 * the refusal itself still confirms a guess (a hit; a miss reads back as written), so each is
 * logged, counted, and counts against the key:
 * past `perKey` within `windowMs` every write of that key is refused until the window ends.
 * A caller without a key is counted by its address (RefusalCount), not the one principal all of them
 * share: one anonymous prober's refusals held every anonymous writer back for the window.
 * With `shared` (Redis) the refusals count where every replica counts them too: a replica learns
 * the key is held from the shared count its own next refusal brings back, so across N replicas a
 * key is refused at most `perKey` + N - 1 times a window, not N times `perKey` (as
 * limits.authFailures); a Redis that fails or is late leaves this process's count to decide.
 *
 * Every account's secrets, not the target's alone: a write into account A must not test B's key.
 */
export class SecretTextGuard {
  private readonly windows = new Map<string, Window>();
  /** Keys the shared count found past `perKey`, and when (nowMs) their shared window ends. */
  private readonly sharedHolds = new Map<string, number>();
  /** As `windows` and `sharedHolds`, for anonymous callers' counts: bounded (MAX_ANONYMOUS_COUNTS). */
  private readonly anonymousWindows: LRUCache<string, Window>;
  private readonly anonymousHolds: LRUCache<string, number>;

  constructor(
    private readonly secretSets: () => readonly SecretSet[],
    private readonly settings: SecretTextSettings,
    private readonly logger: Logger,
    private readonly counted: () => void = () => undefined,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly shared: SharedCounter | null = null,
    /** The shared count of anonymous groups (RefusalCount.group), allowing `GROUP_SHARE` times `perKey`. */
    private readonly sharedGroups: SharedCounter | null = null,
    maxAnonymousCounts = MAX_ANONYMOUS_COUNTS,
  ) {
    this.anonymousWindows = growingLru<string, Window>(maxAnonymousCounts);
    this.anonymousHolds = growingLru<string, number>(maxAnonymousCounts);
  }

  /** Counts this process remembers: client keys' and anonymous callers' windows and shared holds. */
  get remembered(): number {
    return this.windows.size + this.sharedHolds.size + this.anonymousWindows.size + this.anonymousHolds.size;
  }

  private windowsOf(key: string): CountTable<Window> {
    return ANONYMOUS_COUNT.test(key) ? this.anonymousWindows : this.windows;
  }

  private holdsOf(key: string): CountTable<number> {
    return ANONYMOUS_COUNT.test(key) ? this.anonymousHolds : this.sharedHolds;
  }

  /** Throws FORBIDDEN while any of the writer's counts (its key's by default) is held back for its refusals: any write, before it looks at anything. */
  refuseHeld(principal: Principal, counts: readonly RefusalCount[] = keyCounts(principal)): void {
    const now = this.nowMs();
    let held: { seconds: number; who: string } | null = null;
    for (const count of counts) {
      const seconds = this.heldFor(count, now);
      if (seconds !== null && (held === null || seconds > held.seconds)) held = { seconds, who: count.who };
    }
    if (held !== null) throw new GatewayError('FORBIDDEN', secretTextHoldMessage(held.seconds, held.who), { retryAfterSeconds: held.seconds });
  }

  /**
   * Throws BAD_USER_INPUT naming the first of `fields` the scrubber would change; logged at warn
   * (key id, operation, field: never the text) and counted against the key, in Redis too when
   * shared (waited for, so the next write on any replica finds it counted).
   */
  async check(principal: Principal, requestId: string, operation: string, fields: readonly WrittenText[], counts: readonly RefusalCount[] = keyCounts(principal)): Promise<void> {
    this.refuseHeld(principal, counts);
    for (const [field, value] of fields) {
      if (value == null || value === '' || !this.redacted(value)) continue;
      const now = this.nowMs();
      // Every count at once: one after another, a slow Redis held an anonymous refusal each count's wait.
      const here = counts.map((count) => this.count(count.key, now));
      const shared = await Promise.all(counts.map((count) => this.countShared(count)));
      const own = counts[0];
      const refusals = Math.max(here[0] ?? 0, shared[0] ?? 0);
      this.counted();
      this.logger.warn(
        { client: principal.name, keyId: principal.keyId, ...(own !== undefined && own.key !== principal.keyId ? { countedAs: own.key } : {}), operation, field, requestId, refusalsInWindow: refusals, limit: this.settings.perKey },
        'write refused: a field holds text the gateway redacts from provider answers (limits.secretTextRefusals)',
      );
      throw new GatewayError('BAD_USER_INPUT', secretTextMessage(field), { fields: [field] });
    }
  }

  /**
   * Whether the scrubber that reads provider answers would change `text`, with any account's
   * secrets, as written or as a provider quotes it back (quoted-forms.ts).
   */
  private redacted(text: string): boolean {
    const forms = quotedForms(text);
    return this.secretSets().some((secrets) => forms.some((form) => secrets.scrub(form) !== form));
  }

  /** The key's refusals within its window, this one counted. */
  private count(keyId: string, now: number): number {
    const current = this.current(keyId, now);
    if (current) return (current.refusals += 1);
    this.windowsOf(keyId).set(keyId, { startedAt: now, refusals: 1 });
    return 1;
  }

  /** The count's refusals within the shared window, this one counted, noting a hold once past its limit; 0 without Redis or when it failed. */
  private async countShared(count: RefusalCount): Promise<number> {
    const counted = await (count.group ? this.sharedGroups : this.shared)?.add(count.key);
    if (!counted) return 0;
    if (counted.count >= this.limitOf(count)) this.holdsOf(count.key).set(count.key, this.nowMs() + counted.msBeforeNext);
    return counted.count;
  }

  private limitOf(count: RefusalCount): number {
    return count.group ? this.settings.perKey * GROUP_SHARE : this.settings.perKey;
  }

  /** Whole seconds until the count's window (this process's, or the shared one) ends when it has used its refusals, else null. */
  private heldFor(count: RefusalCount, now: number): number | null {
    const current = this.current(count.key, now);
    const localEnd = current && current.refusals >= this.limitOf(count) ? current.startedAt + this.settings.windowMs : null;
    const end = Math.max(localEnd ?? 0, this.sharedHoldEnd(count.key, now) ?? 0);
    if (end === 0) return null;
    return Math.max(1, Math.ceil((end - now) / 1000));
  }

  private sharedHoldEnd(keyId: string, now: number): number | null {
    const end = this.holdsOf(keyId).get(keyId);
    if (end === undefined) return null;
    if (end > now) return end;
    this.holdsOf(keyId).delete(keyId);
    return null;
  }

  private current(keyId: string, now: number): Window | null {
    const window = this.windowsOf(keyId).get(keyId);
    if (window === undefined) return null;
    if (now - window.startedAt < this.settings.windowMs) return window;
    this.windowsOf(keyId).delete(keyId);
    return null;
  }
}
