import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { newestFirst } from '../../src/gateway/backup-order.js';
import { instanceStatus } from '../../src/providers/instance-status.js';

describe('InstanceStatus per provider', () => {
  const word = (kind: 'zomro' | 'zstack' | 'danube', state: string | null) => instanceStatus(kind, { state, raw: {} });

  it('maps each provider state word, and says UNKNOWN for one it does not know', () => {
    expect([word('zomro', 'active'), word('zomro', 'stopped'), word('zomro', 'suspend'), word('zomro', 'verify_resize'), word('zomro', 'rebuilding')]).toEqual(['RUNNING', 'STOPPED', 'SUSPENDED', 'BUSY', 'BUSY']);
    expect([word('zstack', 'Running'), word('zstack', 'Stopped'), word('zstack', 'Paused'), word('zstack', 'Migrating'), word('zstack', 'Crashed')]).toEqual(['RUNNING', 'STOPPED', 'SUSPENDED', 'BUSY', 'UNKNOWN']);
    expect([word('danube', 'running'), word('danube', 'stopped'), word('danube', 'frozen'), word('danube', 'stopping'), word('danube', 'error')]).toEqual(['RUNNING', 'STOPPED', 'SUSPENDED', 'BUSY', 'UNKNOWN']);
    // Danube's documented words with a trailing "-" (a change waiting to be applied) are their bare word's state.
    expect([word('danube', 'running-'), word('danube', 'stopped-'), word('danube', 'frozen-'), word('danube', 'notcreated-'), word('danube', 'notcreated')]).toEqual(['RUNNING', 'STOPPED', 'SUSPENDED', 'STOPPED', 'STOPPED']);
    expect(word('zomro', null)).toBe('UNKNOWN');
    expect(word('zstack', ' Running ')).toBe('RUNNING');
  });

  it('reads OnApp flags: locked or unbuilt is BUSY, else booted', () => {
    const onapp = (raw: Record<string, unknown>) => instanceStatus('onapp', { state: null, raw });
    expect([onapp({ booted: true }), onapp({ booted: false }), onapp({ booted: true, locked: true }), onapp({ booted: false, built: false }), onapp({})]).toEqual(['RUNNING', 'STOPPED', 'BUSY', 'BUSY', 'UNKNOWN']);
  });
});

describe('newestFirst', () => {
  const backup = (nativeId: string, createdAt: string | null) => ({ nativeId, createdAt: createdAt === null ? null : new Date(createdAt) }) as Backup;

  it('sorts by date descending, dateless last, ties in the provider order', () => {
    const sorted = newestFirst([backup('a', null), backup('b', '2026-01-01T00:00:00Z'), backup('c', '2026-03-01T00:00:00Z'), backup('d', null), backup('e', '2026-01-01T00:00:00Z')]);
    expect(sorted.map((item) => item.nativeId)).toEqual(['c', 'b', 'e', 'a', 'd']);
  });

  it('sorts a copy, never the list it was given (lists are shared between requests)', () => {
    const list = Object.freeze([backup('old', '2025-01-01T00:00:00Z'), backup('new', '2026-01-01T00:00:00Z')]);
    expect(newestFirst(list).map((item) => item.nativeId)).toEqual(['new', 'old']);
    expect(list.map((item) => item.nativeId)).toEqual(['old', 'new']);
  });

  it('hands back a list already in order as it is (the read cache keeps lists sorted)', () => {
    const list = [backup('c', '2026-03-01T00:00:00Z'), backup('b', '2026-01-01T00:00:00Z'), backup('e', '2026-01-01T00:00:00Z'), backup('a', null), backup('d', null)];
    expect(newestFirst(list)).toBe(list);
    expect(newestFirst([])).toEqual([]);
  });
});

describe('state and status words that name a property of every object', () => {
  it('are words no table knows: UNKNOWN, never a function', async () => {
    const { fromWords } = await import('../../src/domain/instance-status.js');
    for (const odd of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(fromWords({ running: 'RUNNING' }, odd), odd).toBe('UNKNOWN');
      expect(instanceStatus('zomro', { state: odd, raw: {} }), odd).toBe('UNKNOWN');
    }
  });
});
