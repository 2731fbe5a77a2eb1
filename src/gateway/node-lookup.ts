import { isGatewayError } from '../domain/errors.js';
import { decodeId } from '../domain/ids.js';
import type { ProviderView } from '../domain/provider-view.js';
import type { Backup, BackupDefinition, BackupSchedule, Instance, Operation } from '../domain/types.js';
import { decodeDefinitionId, decodeScheduleId } from './ids.js';
import type { RequestReads } from './request-reads.js';

/** The schema's types that implement Node, and the domain object each is resolved from. */
interface NodeModels {
  Provider: ProviderView;
  Instance: Instance;
  Backup: Backup;
  BackupSchedule: BackupSchedule;
  BackupDefinition: BackupDefinition;
  Operation: Operation;
}
export type NodeType = keyof NodeModels;
export type NodeModel = NodeModels[NodeType];

/**
 * The type of each object `nodeById` answered, set by the lookup that knows
 * it (never guessed from the object's fields). Keyed by the object itself: a
 * cached entity is one object, whichever request found it, and always of one type.
 */
const nodeTypes = new WeakMap<object, NodeType>();

function tagged<T extends NodeModel>(type: NodeType, node: T | null): T | null {
  if (node) nodeTypes.set(node, type);
  return node;
}

/** The type `nodeById` found `node` to be; throws for an object it did not answer (a bug, not a client's mistake). */
export function nodeTypeOf(node: NodeModel): NodeType {
  const type = nodeTypes.get(node);
  if (type === undefined) throw new Error('node was not looked up by nodeById: its type is unknown');
  return type;
}

/** Any object by id; a Provider by its account id. Null when it names nothing (or nothing this client may see). */
export async function nodeById(reads: RequestReads, id: string): Promise<NodeModel | null> {
  const provider = reads.findProvider(id);
  if (provider) return tagged('Provider', provider);
  const decoded = decodeId(id);
  try {
    switch (decoded.type) {
      case 'Instance':
        return tagged(decoded.type, await reads.instance(id));
      case 'Backup':
        return tagged(decoded.type, await reads.backup(id));
      case 'BackupSchedule':
        return tagged(decoded.type, await reads.scheduleAt(decodeScheduleId(id)));
      case 'BackupDefinition':
        return tagged(decoded.type, await reads.definitionAt(decodeDefinitionId(id)));
      case 'Operation':
        return tagged(decoded.type, await reads.operation(id));
    }
  } catch (error) {
    if (namesNothing(error)) return null;
    throw error;
  }
}

/** A well-formed id whose instance is gone (the provider's NOT_FOUND for it) names nothing. */
const namesNothing = (error: unknown): boolean => isGatewayError(error) && error.code === 'NOT_FOUND';

/**
 * A look-up by id answered as `node` answers it: null, no error, where the id's instance is gone.
 * `backup(id:)` and `_entities` passed on the provider's NOT_FOUND for the instance ("Object not
 * found"), where their schema says null, and a router takes an error beside a null as a failure.
 */
export async function nullWhereGone<T>(answer: Promise<T | null>): Promise<T | null> {
  try {
    return await answer;
  } catch (error) {
    if (namesNothing(error)) return null;
    throw error;
  }
}

/** `nodeById`, but null for an id that names an object of another type. */
export async function nodeOfType<K extends NodeType>(reads: RequestReads, id: string, type: K): Promise<NodeModels[K] | null> {
  const node = await nodeById(reads, id);
  return node && nodeTypes.get(node) === type ? (node as NodeModels[K]) : null;
}
