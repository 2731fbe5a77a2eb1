import { createHash } from 'node:crypto';
import { GatewayError, badInput } from '../domain/errors.js';
import type { KeyValueStore } from '../state/store.js';

/** How long a key holds its first answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a second caller waits for the first one's answer before giving up. */
const WAIT_FOR_FIRST_MS = 60_000;
const POLL_MS = 25;

type IdempotencyRecord<T> = { fingerprint: string; state: 'pending' } | { fingerprint: string; state: 'done'; result: T };

/** Stable JSON: object keys sorted, so the same input always has the same fingerprint. */
function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stable((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export const fingerprint = (operation: string, input: unknown): string => createHash('sha256').update(`${operation}\n${stable(input)}`).digest('hex');

/**
 * Same client key + same idempotency key + same input within 24 h: the first
 * answer, with no second upstream call. Records are keyed by the client's key
 * identity (`Principal.keyId`, a SHA-256 of its API key), never by its name,
 * and live in a store namespace of their own (see Gateway), so cached reads
 * cannot evict them. The caller checks role and scope before `run`, so a
 * replay is refused exactly like a fresh call would be. The first caller claims the key atomically (setIfAbsent, in memory or
 * Redis), so two requests at the same moment, even on two gateway processes,
 * cannot both act; the second waits for the first's answer. A failed first
 * attempt releases the key, since nothing was done that must not be repeated.
 */
export class Idempotency {
  constructor(private readonly store: KeyValueStore) {}

  /** `owner`: the caller's key identity (`Principal.keyId`). */
  async run<T>(owner: string, key: string, operation: string, input: unknown, act: () => Promise<T>): Promise<T> {
    if (key.length === 0 || key.length > 200) throw badInput('idempotencyKey must be 1 to 200 characters');
    const storeKey = createHash('sha256').update(`${owner}\n${key}`).digest('hex');
    const print = fingerprint(operation, input);
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    for (;;) {
      if (await this.store.setIfAbsent<IdempotencyRecord<T>>(storeKey, { fingerprint: print, state: 'pending' }, IDEMPOTENCY_TTL_MS)) {
        try {
          const result = await act();
          await this.store.set<IdempotencyRecord<T>>(storeKey, { fingerprint: print, state: 'done', result }, IDEMPOTENCY_TTL_MS);
          return result;
        } catch (error) {
          await this.store.delete(storeKey);
          throw error;
        }
      }
      const record = await this.store.get<IdempotencyRecord<T>>(storeKey);
      if (record && record.fingerprint !== print) {
        throw new GatewayError('CONFLICT', 'idempotencyKey was already used with a different input');
      }
      if (record?.state === 'done') return record.result;
      if (Date.now() > deadline) throw new GatewayError('CONFLICT', 'a request with this idempotencyKey is still in progress');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
