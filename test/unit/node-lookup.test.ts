import { describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { nodeById, nodeOfType, nodeTypeOf, type NodeModel } from '../../src/gateway/node-lookup.js';
import type { RequestReads } from '../../src/gateway/request-reads.js';

/**
 * Reads that find one instance whatever is asked, shaped to carry the fields
 * every other Node type is known by (status, cron, schedule, startedAt,
 * account): only a type the lookup sets, never one guessed from fields,
 * answers Instance.
 */
const lookalike = { providerId: 'p', nativeId: 'n', name: 'vm', status: 'AVAILABLE', cron: '0 1 * * *', schedule: {}, startedAt: new Date(0), account: {} };
const reads = {
  findProvider: () => null,
  instance: () => Promise.resolve(lookalike),
} as unknown as RequestReads;

describe('node lookup: explicit types', () => {
  const instanceId = encodeId('Instance', 'p', ['n']);

  it('tags what it finds with the type its id names', async () => {
    const node = await nodeById(reads, instanceId);
    expect(node).toBe(lookalike);
    expect(nodeTypeOf(node as NodeModel)).toBe('Instance');
  });

  it('refuses to name the type of an object it did not look up', () => {
    expect(() => nodeTypeOf({ ...lookalike } as unknown as NodeModel)).toThrow(/not looked up/);
  });

  it('nodeOfType answers null for an id of another type', async () => {
    expect(await nodeOfType(reads, instanceId, 'BackupSchedule')).toBeNull();
    expect(await nodeOfType(reads, instanceId, 'Instance')).toBe(lookalike);
  });
});
