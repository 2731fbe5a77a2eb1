import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationId } from '../../src/gateway/ids.js';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';
import { wsClient, type WsAnswer } from '../helpers/ws.js';

/**
 * An operation id is the client's to send back, and carries the operation's
 * start time. Adapters give up on an operation "now minus its start time"
 * after it began (OnApp: an unlisted create after 30 minutes); a forged id
 * starting in the year 9999 never reached that, so it stayed PENDING and a
 * subscription polled the provider for ever. Every way in refuses such an id
 * before any provider request.
 */
const YEAR_9999 = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Operation { status } } }';
const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Operation { status } } }';
const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';
const UPDATES = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';

/** The first answer of a subscription (its first status, or its refusal), then stops listening. */
function firstAnswer(client: Client, query: string, variables: Record<string, unknown>): Promise<WsAnswer> {
  return new Promise((resolve, reject) => {
    const stop = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          resolve(value as WsAnswer);
          stop();
        },
        error: (error: unknown) => (Array.isArray(error) ? resolve({ errors: error as WsAnswer['errors'], refused: true }) : reject(error instanceof Error ? error : new Error(JSON.stringify(error)))),
        complete: () => resolve({}),
      },
    );
  });
}

const refusedAsFuture = (answer: { errors?: Array<{ message: string }> }) => {
  expect(answer.errors?.map((error) => error.message)).toEqual([expect.stringMatching(/is an operation id that starts in the future \(9999-12-31T23:59:59\.999Z\)/)]);
};

describe('an operation id that starts in the future', () => {
  let harness: Harness;
  let client: Client;
  let onappCreate: string;
  let danubeDelete: string;
  /** The gateway's store: the ids read below are recorded there as createBackup records its own (an unlisted create without a record is NOT_FOUND). */
  const store = new NamedMemoryStore();
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp', 'danube'], store });
    client = wsClient(harness.gateway.graphqlUrl);
    // An OnApp create whose backup never shows in the list: PENDING until the give-up, 30 minutes after its start.
    onappCreate = operationId({ providerId: harness.providerId('onapp'), kind: 'CREATE_BACKUP', startedAt: YEAR_9999, instanceNativeId: '481', backupNativeId: null, token: ['11802', '999999999', '1'] });
    danubeDelete = operationId({ providerId: harness.providerId('danube'), kind: 'DELETE_BACKUP', startedAt: YEAR_9999, instanceNativeId: 'web01.example.com', backupNativeId: 'daily-1', token: ['some-task'] });
    harness.resetUpstreamLogs();
  });
  afterAll(async () => {
    await client.dispose();
    await harness.close();
  });

  it('is refused over HTTP by operation, node, _entities and cancelOperation, without asking the provider', async () => {
    const asked = [
      [OPERATION, { id: onappCreate }],
      [NODE, { id: onappCreate }],
      [ENTITIES, { representations: [{ __typename: 'Operation', id: onappCreate }] }],
      [CANCEL, { id: danubeDelete }],
    ] as const;
    for (const [query, variables] of asked) {
      const answer = await harness.gql(query, variables);
      expect(errorCodes(answer), query).toEqual(['BAD_USER_INPUT']);
      refusedAsFuture(answer);
    }
    expect(harness.upstreamCount()).toBe(0);
  });

  it('is refused by the status subscription over WebSocket, without a poll loop', async () => {
    const answer = await firstAnswer(client, UPDATES, { id: onappCreate });
    expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    refusedAsFuture(answer);
    expect(harness.upstreamCount()).toBe(0);
  });

  it('one that starts in 1970 is read, and the subscription ends at once: the give-up has long passed', async () => {
    const ancient = await recordedAsStarted(store, operationId({ providerId: harness.providerId('onapp'), kind: 'CREATE_BACKUP', startedAt: new Date(0), instanceNativeId: '481', backupNativeId: null, token: ['11802', '999999999', '1'] }));
    const answer = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: ancient });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.operation.status).toBe('FAILED');
    const statuses = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      client.subscribe<{ operationUpdated: { status: string } }>(
        { query: UPDATES, variables: { id: ancient } },
        { next: (value) => void seen.push(value.data?.operationUpdated.status ?? JSON.stringify(value.errors)), error: reject, complete: () => resolve(seen) },
      );
    });
    expect(statuses).toEqual(['FAILED']);
  });

  it('is still read when it starts a little ahead of the gateway (another replica, its clock a minute fast)', async () => {
    // Recorded by that replica in the store the replicas share.
    const skewed = await recordedAsStarted(store, operationId({ providerId: harness.providerId('onapp'), kind: 'CREATE_BACKUP', startedAt: new Date(Date.now() + 60_000), instanceNativeId: '481', backupNativeId: null, token: ['11802', '999999999', '1'] }));
    const answer = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: skewed });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.operation.status).toBe('PENDING');
  });
});
