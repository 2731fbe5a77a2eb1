import { buildSchema, type GraphQLAbstractType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/**
 * A small schema shaped like the gateway's (non-null and nullable fields at several depths, lists
 * of non-null, an interface and a union, mutations with non-null and nullable payloads) whose
 * resolvers fail where an id says: each test builds one for graphql-js and one for the gateway's
 * executor, and reads which mutations ran and whether an answer waited for a slow field.
 *
 * An id's words say what its object does: `noname` a null `name` (String!, through the default
 * resolver), `badsize` a `size` that throws, `rejectsize` one that rejects, `asyncsize` one that
 * resolves later, `badnote` a nullable `note` that throws, `orphan` a null `instance` (Instance!),
 * `nullsibling` an instance whose `backups` (a list of Backup!) hold a null.
 * A mutation's id: `refuse` throws, `reject` rejects, `null` answers null, else its payload is the
 * backup of that id.
 */
const SDL = `
  interface Node { id: ID! }
  type Backup implements Node { id: ID! name: String! size: Int! note: String instance: Instance! }
  type Instance implements Node { id: ID! name: String! note: String backups: [Backup!]! maybeBackups: [Backup!] notes: [String] }
  union Item = Backup | Instance
  type Payload { backup: Backup! note: String }
  input Filter { name: String! sizes: [Int!] }
  type Query {
    instances: [Instance!]!
    maybeInstances: [Instance!]
    brokenInstances: [Instance!]!
    instance(id: ID!): Instance
    node(id: ID!): Node
    items: [Item!]!
    count: Int!
    broken: Int
    refused: Int!
    refusedNow: Int!
    slow: Int
    slowRefused: Int!
    filtered(filter: Filter, ids: [ID!]): Int
  }
  type Mutation {
    create(id: ID!): Payload!
    remove(id: ID!): Payload!
    tryCreate(id: ID!): Payload
    slowCreate(id: ID!): Payload!
  }
`;

interface BackupRow {
  kind: 'Backup';
  id: string;
  name: string | null;
}
interface InstanceRow {
  kind: 'Instance';
  id: string;
  name: string | null;
  backupIds: readonly (string | null)[];
}

const INSTANCES: Record<string, readonly (string | null)[]> = {
  i1: ['b1', 'b2-asyncsize'],
  'i2-badbackups': ['b3-badnote', 'b4-badsize'],
  'i3-nullbackup': ['b5', null],
  'i4-noname': ['b6'],
  // The null name first: graphql-js 16 gives up on the list there, before a later item's rejection it would leave unhandled.
  'i5-rejecting': ['b8-noname', 'b7-rejectsize'],
};

const has = (id: string, word: string): boolean => id.split('-').includes(word);
const backupRow = (id: string): BackupRow => ({ kind: 'Backup', id, name: has(id, 'noname') ? null : `backup ${id}` });
const instanceRow = (id: string): InstanceRow => ({ kind: 'Instance', id, name: has(id, 'noname') ? null : `vm ${id}`, backupIds: INSTANCES[id] ?? [] });

export interface DifferentialWorld {
  schema: GraphQLSchema;
  /** Each mutation resolver that ran, as `field:id`, in order. */
  mutationsRan: string[];
  /** Lets `slow`, `slowRefused` and `slowCreate` answer (they wait until then). */
  releaseSlow(): void;
}

/** A fresh schema with its resolvers, and what they record. */
export function differentialWorld(): DifferentialWorld {
  const schema = buildSchema(SDL);
  const mutationsRan: string[] = [];
  let releaseSlow = (): void => undefined;
  const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
  const set = (typeName: string, fieldName: string, resolve: GraphQLFieldResolver<unknown, unknown>): void => {
    const type = schema.getType(typeName);
    if (!type || !('getFields' in type)) throw new Error(`no type ${typeName}`);
    const field = type.getFields()[fieldName];
    if (!field || !('resolve' in field)) throw new Error(`no field ${typeName}.${fieldName}`);
    field.resolve = resolve;
  };
  const idArg = (args: unknown): string => String((args as { id: unknown }).id);
  const row = (id: string): BackupRow | InstanceRow | null => (id.startsWith('i') ? (id in INSTANCES ? instanceRow(id) : null) : id.startsWith('b') ? backupRow(id) : null);

  set('Query', 'instances', async () => [instanceRow('i1')]);
  set('Query', 'maybeInstances', async () => [instanceRow('i1'), instanceRow('i2-badbackups')]);
  set('Query', 'brokenInstances', () => [instanceRow('i1'), instanceRow('i4-noname')]);
  set('Query', 'instance', (_source, args) => {
    const id = idArg(args);
    if (has(id, 'throw')) throw new Error(`instance ${id} could not be read`);
    return Promise.resolve(row(id));
  });
  set('Query', 'node', (_source, args) => row(idArg(args)));
  set('Query', 'items', () => [instanceRow('i1'), backupRow('b1')]);
  set('Query', 'count', () => 2);
  set('Query', 'broken', () => Promise.reject(new Error('broken could not be read')));
  set('Query', 'refused', () => Promise.reject(new Error('refused: first must be positive')));
  set('Query', 'refusedNow', () => {
    throw new Error('refusedNow: refused at once');
  });
  set('Query', 'filtered', (_source, args) => JSON.stringify(args).length);
  set('Query', 'slow', () => slow.then(() => 7));
  set('Query', 'slowRefused', () => slow.then(() => Promise.reject(new Error('slowRefused: refused late'))));

  set('Instance', 'backups', async (source) => (source as InstanceRow).backupIds.map((id) => (id === null ? null : backupRow(id))));
  set('Instance', 'maybeBackups', (source) => (source as InstanceRow).backupIds.map((id) => (id === null ? null : backupRow(id))));
  set('Instance', 'notes', () => ['one', null]);
  set('Instance', 'note', (source) => (has((source as InstanceRow).id, 'badnote') ? Promise.reject(new Error('note unreadable')) : null));
  set('Backup', 'size', (source) => {
    const { id } = source as BackupRow;
    if (has(id, 'badsize')) throw new Error(`size of ${id} unreadable`);
    if (has(id, 'rejectsize')) return Promise.reject(new Error(`size of ${id} rejected`));
    return has(id, 'asyncsize') ? Promise.resolve(id.length) : id.length;
  });
  set('Backup', 'note', (source) => {
    const { id } = source as BackupRow;
    if (has(id, 'badnote')) throw new Error(`note of ${id} unreadable`);
    return `note ${id}`;
  });
  set('Backup', 'instance', async (source) => {
    const { id } = source as BackupRow;
    if (has(id, 'orphan')) return null;
    return instanceRow(has(id, 'nullsibling') ? 'i3-nullbackup' : 'i1');
  });

  const mutation = (fieldName: string, wait: boolean): GraphQLFieldResolver<unknown, unknown> => (_source, args) => {
    const id = idArg(args);
    mutationsRan.push(`${fieldName}:${id}`);
    if (has(id, 'refuse')) throw new Error(`${fieldName} ${id} refused`);
    const payload = has(id, 'null') ? null : { backup: backupRow(id) };
    if (has(id, 'reject')) return Promise.reject(new Error(`${fieldName} ${id} rejected`));
    return wait ? slow.then(() => payload) : Promise.resolve(payload);
  };
  set('Mutation', 'create', mutation('create', false));
  set('Mutation', 'remove', mutation('remove', false));
  set('Mutation', 'tryCreate', mutation('tryCreate', false));
  set('Mutation', 'slowCreate', mutation('slowCreate', true));
  set('Payload', 'note', (source) => {
    const { id } = (source as { backup: BackupRow }).backup;
    if (has(id, 'badnote')) throw new Error(`payload note of ${id} unreadable`);
    return null;
  });

  for (const name of ['Node', 'Item']) (schema.getType(name) as GraphQLAbstractType).resolveType = (value) => (value as BackupRow | InstanceRow).kind;
  return { schema, mutationsRan, releaseSlow: () => releaseSlow() };
}
