import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { encodeId } from '../../src/domain/ids.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/**
 * A malformed id (a nullable root field's BAD_USER_INPUT) and the backups of an instance the ZStack
 * account does not list (a non-null root field's NOT_FOUND, known once that account's list is
 * read), beside a read of the slow OnApp account.
 */
const MISSING_INSTANCE = encodeId('Instance', 'zstack-test', ['no-such-vm']);
const REFUSED_BESIDE_SLOW = `{ slow: instances(providerId: "onapp-test") { edges { node { nativeId } } } node(id: "not-a-gateway-id") { id } refused: backups(filter: { instanceId: "${MISSING_INSTANCE}" }) { edges { node { id } } } }`;

/**
 * A query refused at a non-null root field answers `data: null` at once, its slow reads stopped
 * (root-refusal-answers-at-once.test.ts). That early answer carried the refusal alone, where
 * graphql-js's answer holds the errors of the root fields that failed before it too: a client
 * fixing its `first` was not told its `node` id was wrong as well.
 */
describe('the early answer at a root refusal carries the errors graphql-js would', () => {
  let harness: Harness;

  beforeAll(async () => {
    // The latency holds every read of the OnApp account far past the test's timeout: an answer that waited for the slow read never comes.
    harness = await startHarness({ kinds: ['onapp', 'zstack'], configure: [withLimits({ answerDeadlineMs: 600_000 })] });
    harness.simulator('onapp').server.latencyMs = 600_000;
  });
  afterAll(async () => {
    if (harness) harness.simulator('onapp').server.latencyMs = 0;
    await harness?.close();
  });

  it('answers at once over HTTP with the failed nullable root field and the refusal', async () => {
    const answer = await harness.gql(REFUSED_BESIDE_SLOW);
    expect(answer.status).toBe(200);
    expect(answer.data ?? null).toBeNull();
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT', 'NOT_FOUND']);
    expect(answer.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['node'], 'BAD_USER_INPUT'],
      [['refused'], 'NOT_FOUND'],
    ]);
  }, 20_000);

  it('answers over WebSocket as over HTTP', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, REFUSED_BESIDE_SLOW);
      expect(answer.data ?? null).toBeNull();
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT', 'NOT_FOUND']);
    } finally {
      await client.dispose();
    }
  }, 20_000);
});
