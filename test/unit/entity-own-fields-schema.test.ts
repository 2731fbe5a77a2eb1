import { buildSchema, graphql, type GraphQLFieldResolver, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLSchema, type GraphQLUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Backup, BackupDefinition, BackupSchedule } from '../../src/domain/types.js';
import { installEntityOwnFields } from '../../src/graphql/entity-own-fields.js';
import { backupId, definitionId, scheduleId } from '../../src/gateway/ids.js';

/**
 * installEntityOwnFields over a schema of the same shape as the gateway's: whatever field serves a
 * Backup, BackupSchedule or BackupDefinition (itself, a list, a promise, a list of promises, an
 * interface or a union) answers the ids and the cron's reading a resolver would have, and the
 * objects and lists the read cache hands every request are never replaced.
 */
const SDL = `
  scalar JSONObject
  interface Node { id: ID! }
  type Backup implements Node { id: ID! name: String! raw: JSONObject! }
  type BackupSchedule implements Node { id: ID! weekdays: [String!]! time: String }
  type BackupDefinition implements Node { id: ID! retentionStated: Boolean! schedule: BackupSchedule! }
  type Instance implements Node { id: ID! }
  union Protected = Backup | Instance
  type Query {
    backup: Backup
    backups: [Backup]
    definition: BackupDefinition
    node: Node
    nodes: [Node!]!
    protected: Protected
  }
`;

const schedule = (nativeId: string, cron = '30 2 * * 1,3'): BackupSchedule => ({
  providerId: 'onapp-test', nativeId, instanceNativeId: 'vm-1', keyExtra: [], name: 'nightly', cron, timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {},
});
const backup = (nativeId: string): Backup => ({
  providerId: 'zomro-test', nativeId, instanceNativeId: 'vm-1', keyExtra: [], name: nativeId, status: 'AVAILABLE', origin: null, mode: null, createdAt: null, sizeBytes: null,
  protected: false, diskId: null, minDiskBytes: null, minRamBytes: null, osDistro: null, osVersion: null, region: null, note: null, definitionName: null, raw: {},
});
const definition = (retention: number | null): BackupDefinition => ({
  providerId: 'danube-test', nativeId: 'daily', instanceNativeId: 'vm-1', keyExtra: ['1'], name: 'daily', diskId: 1, schedule: schedule('daily'), retention, active: true,
  compression: null, bandwidthLimit: null, description: null, node: null, zpool: null, fsfreeze: null, raw: {},
});

type Resolvers = Partial<Record<'backup' | 'backups' | 'definition' | 'node' | 'nodes' | 'protected', GraphQLFieldResolver<unknown, unknown>>>;

function schemaWith(resolvers: Resolvers, resolveType?: (value: unknown) => string | undefined): GraphQLSchema {
  const schema = buildSchema(SDL);
  const fields = (schema.getQueryType() as GraphQLObjectType).getFields();
  for (const [name, resolve] of Object.entries(resolvers)) fields[name]!.resolve = resolve;
  if (resolveType) {
    (schema.getType('Node') as GraphQLInterfaceType).resolveType = resolveType;
    (schema.getType('Protected') as GraphQLUnionType).resolveType = resolveType;
  }
  installEntityOwnFields(schema);
  return schema;
}

const run = async (schema: GraphQLSchema, source: string, rootValue?: unknown): Promise<unknown> => JSON.parse(JSON.stringify(await graphql({ schema, source, rootValue })));

describe('installEntityOwnFields: every field serving a shaped type serves its own fields', () => {
  it('an object, a promise of one, and a field with no resolver of its own (read from its parent)', async () => {
    const first = backup('b-1');
    const second = backup('b-2');
    const third = definition(7);
    const schema = schemaWith({ backup: () => first, definition: () => Promise.resolve(third) });
    expect(await run(schema, '{ backup { id } definition { id retentionStated schedule { id weekdays time } } }')).toEqual({
      data: { backup: { id: backupId(first) }, definition: { id: definitionId(third), retentionStated: true, schedule: { id: scheduleId(third.schedule), weekdays: ['MONDAY', 'WEDNESDAY'], time: '02:30' } } },
    });
    const noResolver = schemaWith({});
    expect(await run(noResolver, '{ backup { id } }', { backup: second })).toEqual({ data: { backup: { id: backupId(second) } } });
  });

  it('a list shaped in place; a list of promises shaped in a copy, the list handed in left as it was', async () => {
    const cached = [backup('b-1'), backup('b-2')];
    const schema = schemaWith({ backups: () => cached });
    expect(await run(schema, '{ backups { id } }')).toEqual({ data: { backups: cached.map((item) => ({ id: backupId(item) })) } });
    const items = [backup('b-3'), backup('b-4')];
    const promised: unknown[] = items.map((item) => Promise.resolve(item));
    const kept = [...promised];
    const later = schemaWith({ backups: () => promised });
    expect(await run(later, '{ backups { id } }')).toEqual({ data: { backups: items.map((item) => ({ id: backupId(item) })) } });
    expect(promised).toEqual(kept);
    expect(promised.every((item, index) => item === kept[index])).toBe(true);
  });

  it('a list whose later items are promises: the earlier ones shaped too', async () => {
    const items = [backup('b-5'), backup('b-6'), backup('b-7')];
    const schema = schemaWith({ backups: () => [items[0], Promise.resolve(items[1]), items[2]] });
    expect(await run(schema, '{ backups { id } }')).toEqual({ data: { backups: items.map((item) => ({ id: backupId(item) })) } });
  });

  it('through an interface or a union: by the __typename an object carries, or by the type\'s resolveType', async () => {
    const tagged = Object.assign(backup('b-8'), { __typename: 'Backup' });
    const untagged = schedule('s-1');
    const inUnion = backup('b-9');
    const typeOf = (value: unknown): string | undefined => ((value as { cron?: unknown }).cron !== undefined ? 'BackupSchedule' : 'Backup');
    const schema = schemaWith({ node: () => tagged, nodes: () => [untagged], protected: () => inUnion }, typeOf);
    expect(await run(schema, '{ node { id } nodes { id ... on BackupSchedule { time } } protected { ... on Backup { id } } }')).toEqual({
      data: { node: { id: backupId(tagged) }, nodes: [{ id: scheduleId(untagged), time: '02:30' }], protected: { id: backupId(inUnion) } },
    });
  });

  it('a resolveType that throws: the error where the executor puts it, the rest answered', async () => {
    const item = backup('b-10');
    const schema = schemaWith({ node: () => item, backup: () => item }, () => {
      throw new Error('no type for this');
    });
    const answer = (await run(schema, '{ node { id } backup { id } }')) as { data: unknown; errors: Array<{ message: string; path: unknown }> };
    expect(answer.data).toEqual({ node: null, backup: { id: backupId(item) } });
    expect(answer.errors.map(({ message, path }) => ({ message, path }))).toEqual([{ message: 'no type for this', path: ['node'] }]);
  });

  it('null and an error served as they are', async () => {
    const schema = schemaWith({ backup: () => new Error('provider said no'), definition: () => null, backups: () => [null, new Error('one row unreadable')] });
    const answer = (await run(schema, '{ backup { id } definition { id } backups { id } }')) as { data: unknown; errors: Array<{ message: string; path: unknown }> };
    expect(answer.data).toEqual({ backup: null, definition: null, backups: [null, null] });
    expect(answer.errors.map(({ message, path }) => ({ message, path }))).toEqual([
      { message: 'provider said no', path: ['backup'] },
      { message: 'one row unreadable', path: ['backups', 1] },
    ]);
  });

  it('a spread copy with a field changed is shaped again: its own id, not the first object\'s', async () => {
    const first = backup('b-11');
    const schema = schemaWith({ backup: () => first });
    await run(schema, '{ backup { id } }');
    const copy = { ...first, nativeId: 'b-12' };
    const again = schemaWith({ backup: () => copy });
    expect(await run(again, '{ backup { id } }')).toEqual({ data: { backup: { id: backupId(copy) } } });
    expect(backupId(copy)).not.toBe(backupId(first));
  });

  it('a cron no reader takes: no weekdays and no time, not an error', async () => {
    const item = schedule('s-2', 'every other tuesday');
    const schema = schemaWith({ node: () => item }, () => 'BackupSchedule');
    expect(await run(schema, '{ node { ... on BackupSchedule { weekdays time } } }')).toEqual({ data: { node: { weekdays: [], time: null } } });
  });

  it('a field with no resolver whose parent lacks it: null, as without the shaping', async () => {
    expect(await run(schemaWith({}), '{ backup { id } definition { id } }', {})).toEqual({ data: { backup: null, definition: null } });
  });

  it('through an interface with no resolveType of its own (as _Entity): by the __typename alone', async () => {
    const tagged = Object.assign(backup('b-13'), { __typename: 'Backup' });
    expect(await run(schemaWith({ node: () => tagged }), '{ node { id } }')).toEqual({ data: { node: { id: backupId(tagged) } } });
  });

  it("a provider's raw object naming itself a Backup (__typename) is served as it came, not shaped", async () => {
    const item = { ...backup('b-14'), raw: { __typename: 'Backup', nativeId: 'x' } };
    const answer = await run(schemaWith({ backup: () => item }), '{ backup { id raw } }');
    expect(answer).toEqual({ data: { backup: { id: backupId(item), raw: { __typename: 'Backup', nativeId: 'x' } } } });
    expect(Object.getOwnPropertyNames(item.raw)).toEqual(['__typename', 'nativeId']);
  });

  it('a list item whose promise fails: its error at its place, the others answered, no rejection left unhandled', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', note);
    try {
      const item = backup('b-15');
      const schema = schemaWith({ backups: () => [Promise.resolve(item), Promise.reject(new Error('row gone'))] });
      const answer = (await run(schema, '{ backups { id } }')) as { data: unknown; errors: Array<{ message: string; path: unknown }> };
      expect(answer.data).toEqual({ backups: [{ id: backupId(item) }, null] });
      expect(answer.errors.map(({ message, path }) => ({ message, path }))).toEqual([{ message: 'row gone', path: ['backups', 1] }]);
      // Node tells of an unhandled rejection once the microtasks drain: one turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', note);
    }
  });
});
