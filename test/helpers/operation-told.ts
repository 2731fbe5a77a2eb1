import { errorCodes, type Harness } from './harness.js';
import { wsClient } from './ws.js';

const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const NODE = 'query($id: ID!) { node(id: $id) { ... on Operation { status } } }';
const SUBSCRIBE = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';

/** What `operationUpdated` tells of an id first: its status, or its errors' codes. */
async function firstTold(harness: Harness, id: string): Promise<{ status: unknown } | { codes: unknown[] }> {
  const client = wsClient(harness.gateway.graphqlUrl);
  try {
    return await new Promise((resolve, reject) => {
      client.subscribe<{ operationUpdated: { status: string } }>(
        { query: SUBSCRIBE, variables: { id } },
        {
          next: (value) => resolve(value.errors ? { codes: value.errors.map((error) => error.extensions?.code) } : { status: value.data?.operationUpdated.status }),
          error: (error: unknown) =>
            Array.isArray(error) ? resolve({ codes: (error as Array<{ extensions?: { code?: unknown } }>).map((item) => item.extensions?.code) }) : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => resolve({ codes: [] }),
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

/** What a client is told of an operation id, every way it can read it: `operation`, `node` and `operationUpdated`. */
export async function toldOf(harness: Harness, id: string): Promise<{ operation: unknown; node: unknown; subscription: unknown }> {
  const byOperation = await harness.gql<{ operation: { status: string } | null }>(OPERATION, { id });
  const byNode = await harness.gql<{ node: { status: string } | null }>(NODE, { id });
  return {
    operation: byOperation.errors ? { codes: errorCodes(byOperation) } : { status: byOperation.data?.operation?.status },
    node: byNode.errors ? { codes: errorCodes(byNode) } : byNode.data?.node ?? null,
    subscription: await firstTold(harness, id),
  };
}

/** An id the gateway will not vouch for, as each way of reading tells it. */
export const UNVOUCHED = { operation: { codes: ['NOT_FOUND'] }, node: null, subscription: { codes: ['NOT_FOUND'] } };

/** `status`, as each way of reading tells it. */
export const told = (status: string) => ({ operation: { status }, node: { status }, subscription: { status } });
