import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { encodeId } from '../../src/domain/ids.js';
import { nodeById, nodeOfType, nodeTypeOf, nullWhereGone, type NodeModel, type NodeType } from '../../src/gateway/node-lookup.js';
import type { RequestReads } from '../../src/gateway/request-reads.js';

/**
 * `node(id:)` answers each of the schema's Node types by the read its id names, and resolves its
 * `__typename` by the type that read was for; a Provider by its account id; null, no error, for a
 * well-formed id whose object is gone (the provider's NOT_FOUND), while any other failure is the
 * client's to see. Each read answers an object of its own, so a read asked for the wrong type shows.
 */
const PROVIDER = { id: 'zomro-nl' };
const found: Record<Exclude<NodeType, 'Provider'>, object> = {
  Instance: { kind: 'instance' },
  Backup: { kind: 'backup' },
  BackupSchedule: { kind: 'schedule' },
  BackupDefinition: { kind: 'definition' },
  Operation: { kind: 'operation' },
};
const asked: string[] = [];
const readsFailingWith = (error: unknown): RequestReads => {
  const answer = (type: keyof typeof found) => (address: unknown) => {
    asked.push(`${type} ${JSON.stringify(address)}`);
    return error === undefined ? Promise.resolve(found[type]) : Promise.reject(error);
  };
  return {
    findProvider: (id: string) => (id === PROVIDER.id ? PROVIDER : null),
    instance: answer('Instance'),
    backup: answer('Backup'),
    scheduleAt: answer('BackupSchedule'),
    definitionAt: answer('BackupDefinition'),
    operation: answer('Operation'),
  } as unknown as RequestReads;
};
const reads = readsFailingWith(undefined);
/** A schedule's and a definition's id hold their instance's id and their own. */
const idOf = (type: keyof typeof found): string => encodeId(type, 'zomro-nl', type === 'BackupSchedule' || type === 'BackupDefinition' ? ['vm-7', '42'] : ['42']);

describe('nodeById answers each Node type by its own read, tagged with that type', () => {
  for (const type of Object.keys(found) as (keyof typeof found)[]) {
    it(type, async () => {
      asked.length = 0;
      const node = await nodeById(reads, idOf(type));
      expect(node).toBe(found[type]);
      expect(nodeTypeOf(node as NodeModel)).toBe(type);
      expect(asked).toHaveLength(1);
      expect(asked[0]!.startsWith(`${type} `)).toBe(true);
      expect(await nodeOfType(reads, idOf(type), type)).toBe(found[type]);
    });
  }

  it('a Provider by its account id, before any id is decoded', async () => {
    const node = await nodeById(reads, PROVIDER.id);
    expect(node).toBe(PROVIDER);
    expect(nodeTypeOf(node as NodeModel)).toBe('Provider');
    expect(await nodeOfType(reads, PROVIDER.id, 'Provider')).toBe(PROVIDER);
    expect(await nodeOfType(reads, PROVIDER.id, 'Instance')).toBeNull();
  });

  it('a schedule and a definition are read at the address their id holds', async () => {
    asked.length = 0;
    await nodeById(reads, idOf('BackupSchedule'));
    await nodeById(reads, idOf('BackupDefinition'));
    expect(asked).toEqual([
      'BackupSchedule {"providerId":"zomro-nl","instanceNativeId":"vm-7","nativeId":"42","keyExtra":[]}',
      'BackupDefinition {"providerId":"zomro-nl","instanceNativeId":"vm-7","nativeId":"42","keyExtra":[]}',
    ]);
  });
});

describe('a look-up whose object is gone', () => {
  const gone = new GatewayError('NOT_FOUND', 'Object not found');

  it('answers null from nodeById and nullWhereGone, for the provider\'s NOT_FOUND', async () => {
    const failing = readsFailingWith(gone);
    for (const type of Object.keys(found) as (keyof typeof found)[]) expect(await nodeById(failing, idOf(type)), type).toBeNull();
    expect(await nodeOfType(failing, idOf('Backup'), 'Backup')).toBeNull();
    expect(await nullWhereGone(Promise.reject(gone))).toBeNull();
  });

  it('passes on any other failure', async () => {
    const unavailable = new GatewayError('PROVIDER_UNAVAILABLE', 'provider down');
    await expect(nodeById(readsFailingWith(unavailable), idOf('Instance'))).rejects.toBe(unavailable);
    await expect(nullWhereGone(Promise.reject(unavailable))).rejects.toBe(unavailable);
    const plain = new Error('NOT_FOUND');
    await expect(nodeById(readsFailingWith(plain), idOf('Backup'))).rejects.toBe(plain);
    await expect(nullWhereGone(Promise.reject(plain))).rejects.toBe(plain);
  });

  it('answers what the read answered otherwise, null included, untagged when null', async () => {
    expect(await nullWhereGone(Promise.resolve(found.Backup))).toBe(found.Backup);
    expect(await nullWhereGone(Promise.resolve(null))).toBeNull();
    const nothing = { ...reads, instance: () => Promise.resolve(null) } as unknown as RequestReads;
    expect(await nodeById(nothing, idOf('Instance'))).toBeNull();
  });
});
