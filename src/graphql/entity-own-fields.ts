import { getNamedType, isAbstractType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { describeCron } from '../domain/schedule.js';
import type { Backup, BackupDefinition, BackupSchedule } from '../domain/types.js';
import { backupId, definitionId, scheduleId } from '../gateway/ids.js';

/**
 * Fields whose value is the same for every request over the same domain object (its global id,
 * what its cron says), written onto the object as own properties the first time it reaches the
 * schema, so graphql-jit reads them inline. A field with a resolver costs a call, a resolve info,
 * a path and two closures per object per request; the read cache hands every warm request the
 * same objects, and a warm dashboard made some 3,000 such calls (docs/benchmark-history.md).
 *
 * Nothing here may depend on the request: not its client, its clock (nextRunAt) or the account's
 * health. The properties are non-enumerable, so the stores' JSON, the shape checks of cached
 * records and a spread copy (`{ ...backup, note }`, which is shaped again when it is served) never
 * see them, as @apollo/subgraph adds `__typename` to the objects it resolves.
 */
const OWN_FIELDS = {
  Backup: { id: (backup: Backup) => backupId(backup) },
  BackupSchedule: {
    id: (schedule: BackupSchedule) => scheduleId(schedule),
    weekdays: (schedule: BackupSchedule) => summary(schedule).weekdays,
    time: (schedule: BackupSchedule) => summary(schedule).time,
  },
  BackupDefinition: {
    id: (definition: BackupDefinition) => definitionId(definition),
    retentionStated: (definition: BackupDefinition) => definition.retention !== null,
  },
} as const;

type ShapedType = keyof typeof OWN_FIELDS;
const SHAPED_TYPES = new Set<string>(Object.keys(OWN_FIELDS));
const isShapedType = (name: string): name is ShapedType => SHAPED_TYPES.has(name);

/** The schema fields of a shaped type written onto its objects (no resolver of their own). */
export const ownFieldsOf = (type: string): readonly string[] => (isShapedType(type) ? Object.keys(OWN_FIELDS[type]) : []);

/** Fields served from an object its parent's shaping already shaped: wrapping them would add a call per parent. */
const SHAPED_WITH_PARENT = new Set(['BackupDefinition.schedule']);

/** Marks an object already shaped: own fields written, so a warm request only reads this. */
const SHAPED = Symbol('own fields written');
type Marked = { [SHAPED]?: true };

/**
 * Whether `value` was shaped already. Only shapeEntity sets the mark, and only on an entity (never
 * on an Error, a promise or a list), so such a value needs nothing more: a warm request's cached
 * lists are all of them, and each item skips the type checks and the type lookup.
 */
const isShaped = (value: object): boolean => (value as Marked)[SHAPED] === true;

type OwnField = readonly [name: string, compute: (entity: never) => unknown];
/**
 * Each type's fields as pairs, made once: `Object.entries` per entity made an array and a pair per
 * field of every object an uncached dashboard serves (docs/benchmark-history.md, perf22).
 */
const FIELD_PAIRS = Object.fromEntries(Object.entries(OWN_FIELDS).map(([type, fields]) => [type, Object.entries(fields)])) as unknown as Record<ShapedType, readonly OwnField[]>;
/** The descriptor of every own field, its value set before each use (defineProperty reads it at once and keeps none of it). */
const OWN_FIELD: PropertyDescriptor = { value: undefined, enumerable: false, writable: false, configurable: true };
const SHAPED_MARK: PropertyDescriptor = Object.freeze({ value: true, enumerable: false });

/** Writes `type`'s own fields onto `entity` once; an object already written is left as it is. */
export function shapeEntity(type: ShapedType, entity: object): void {
  if (isShaped(entity)) return;
  const fields = FIELD_PAIRS[type];
  for (let index = 0; index < fields.length; index++) {
    const [name, compute] = fields[index] as OwnField;
    OWN_FIELD.value = compute(entity as never);
    Object.defineProperty(entity, name, OWN_FIELD);
  }
  // Not kept alive by the shared descriptor.
  OWN_FIELD.value = undefined;
  Object.defineProperty(entity, SHAPED, SHAPED_MARK);
  if (type === 'BackupDefinition') shapeEntity('BackupSchedule', (entity as BackupDefinition).schedule);
}

/** The concrete type of an object served as an interface or union: set by @apollo/subgraph or by the resolver's own `resolveType`. */
type TypeOf = (value: object) => string | undefined;

function shapeValue(value: unknown, typeOf: TypeOf): unknown {
  if (value === null || typeof value !== 'object' || isShaped(value) || value instanceof Error) return value;
  if (value instanceof Promise) return value.then((settled: unknown) => shapeValue(settled, typeOf));
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      if (typeof item === 'object' && item !== null && isShaped(item)) continue;
      const shaped = shapeValue(item, typeOf);
      // A promise item becomes another promise: the list handed on is a copy then, never the cached list changed.
      if (shaped !== item) (copy ??= [...value])[index] = shaped;
    }
    return copy ?? value;
  }
  const type = typeOf(value);
  if (type !== undefined && isShapedType(type)) shapeEntity(type, value);
  return value;
}

/**
 * Wraps every field that can serve a Backup, BackupSchedule or BackupDefinition (as itself, in a
 * list, or through Node or _Entity) to shape what it serves. In place, when the schema is built:
 * graphql-jit reads resolvers when it compiles. A list already shaped costs one check per item.
 */
export function installEntityOwnFields(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (SHAPED_WITH_PARENT.has(`${type.name}.${field.name}`)) continue;
      const served = getNamedType(field.type);
      let typeOf: TypeOf;
      if (isShapedType(served.name)) {
        const name = served.name;
        typeOf = () => name;
      } else if (isAbstractType(served) && schema.getPossibleTypes(served).some((possible) => isShapedType(possible.name))) {
        typeOf = (value) => {
          const tagged = (value as { __typename?: unknown }).__typename;
          if (typeof tagged === 'string') return tagged;
          try {
            const resolved: unknown = served.resolveType?.(value, undefined, undefined as never, served);
            return typeof resolved === 'string' ? resolved : undefined;
          } catch {
            // Left to the executor, which asks the same and answers the error where it belongs.
            return undefined;
          }
        };
      } else continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> | undefined = field.resolve;
      field.resolve = (source, args, context, info) => shapeValue(resolve ? resolve(source, args, context, info) : (source as Record<string, unknown>)[field.name], typeOf);
    }
  }
}

/** describeCron parses the cron (cron-parser + luxon); a dashboard repeats a few crons many times. */
const summaries = new Map<string, ReturnType<typeof describeCron>>();
const MAX_SUMMARIES = 10_000;
function summary(schedule: BackupSchedule): ReturnType<typeof describeCron> {
  let cached = summaries.get(schedule.cron);
  if (!cached) {
    try {
      cached = describeCron(schedule.cron);
    } catch {
      cached = { weekdays: [], time: null };
    }
    if (summaries.size >= MAX_SUMMARIES) summaries.clear();
    summaries.set(schedule.cron, cached);
  }
  return cached;
}
