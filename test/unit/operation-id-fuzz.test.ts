import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import type { OperationKind, OperationRef } from '../../src/domain/types.js';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';

/**
 * The operation id codec, fuzzed with a seeded generator (the same cases every run): every id it
 * writes reads back as what it was written from, and any other string a client sends is
 * BAD_USER_INPUT, or is itself the one spelling the codec writes for what it reads as. So no string
 * reaches an adapter (and a provider URL) but one the codec would have written.
 */

const KINDS: OperationKind[] = ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS'];
const ALPHABET = ['a', 'Z', '0', '-', '.', '/', '%', ' ', '"', '\\', '\n', '\u0000', 'é', '\u202e', '😀', ',', '[', ']', ':', '='];
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=';

/** mulberry32: a small seeded generator, so a failure names a case that comes again. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOW = Date.UTC(2026, 11, 6);

function isRefusal(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'BAD_USER_INPUT';
}

describe('operation id codec, fuzzed', () => {
  const random = seeded(20261206);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (most: number): string => Array.from({ length: Math.floor(random() * (most + 1)) }, () => pick(ALPHABET)).join('');

  it('every id the codec writes reads back as the operation it was written from', () => {
    for (let n = 0; n < 2_000; n += 1) {
      const ref: OperationRef = {
        providerId: `p-${text(6)}`,
        kind: pick(KINDS),
        startedAt: new Date(NOW - Math.floor(random() * 1e10)),
        instanceNativeId: random() < 0.2 ? null : `i${text(20)}`,
        backupNativeId: random() < 0.4 ? null : `b${text(20)}`,
        token: Array.from({ length: Math.floor(random() * 6) }, () => text(12)),
      };
      const id = operationId(ref);
      expect(decodeOperationId(id, 'id', NOW), id).toEqual(ref);
    }
  });

  it('any other string is BAD_USER_INPUT, or the one spelling the codec writes for what it reads', () => {
    const valid = operationId({ providerId: 'zstack-test', kind: 'CREATE_BACKUP', startedAt: new Date(NOW - 1000), instanceNativeId: 'vm', backupNativeId: null, token: ['job'] });
    const strings: string[] = [];
    for (let n = 0; n < 3_000; n += 1) {
      const at = Math.floor(random() * valid.length);
      strings.push(
        valid.slice(0, at) + pick([...BASE64URL]) + valid.slice(at + 1),
        valid.slice(0, at),
        valid + pick([...BASE64URL]),
        Buffer.from(JSON.stringify(['O', 'zstack-test', pick(KINDS), String(Math.floor(random() * NOW)), text(4), text(4), text(4)])).toString('base64url'),
        Buffer.from(text(30)).toString('base64url'),
        text(30),
      );
    }
    for (const candidate of strings) {
      let ref: OperationRef;
      try {
        ref = decodeOperationId(candidate, 'id', NOW);
      } catch (error) {
        expect(isRefusal(error), `${JSON.stringify(candidate)}: ${String(error)}`).toBe(true);
        continue;
      }
      expect(operationId(ref), JSON.stringify(candidate)).toBe(candidate);
    }
  });
});
