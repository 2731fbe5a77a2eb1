import { decodeOperationId } from '../../src/gateway/ids.js';
import { STARTED_OPERATIONS_NAMESPACE, StartedOperations } from '../../src/gateway/started-operations.js';
import type { NamedMemoryStore } from './named-memory-store.js';

/**
 * Records `id` as started in the gateway's store, as the mutation that answered it would have:
 * an id a test writes (a delete as if asked hours ago) is otherwise no operation the gateway
 * started, and a read of it resting on the record is NOT_FOUND. Returns the id.
 */
export async function recordedAsStarted(store: NamedMemoryStore, id: string): Promise<string> {
  await new StartedOperations(store.namespaceNamed(STARTED_OPERATIONS_NAMESPACE)).started(decodeOperationId(id));
  return id;
}
