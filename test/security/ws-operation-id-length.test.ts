import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OPERATION_ID_LENGTH, OPERATION_ID_TOO_LONG } from '../../src/server/ws/operation-id.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { rawConnection } from '../helpers/ws.js';

interface Message {
  type: string;
  id?: string;
}

/**
 * graphql-ws echoes a subscribe's id in every message of its operation: an id of up to the body
 * limit (1 MiB) made every `next` and `complete` that large. Longer than 128 characters, the
 * subscribe is refused as a malformed message is (4400), and nothing echoes it.
 */
describe('WebSocket: a subscribe id longer than 128 characters', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  async function subscribeWithId(id: string): Promise<{ messages: Message[]; closed: Promise<{ code: number; reason: string }> }> {
    const connection = rawConnection(harness.gateway.graphqlUrl);
    const messages: Message[] = [];
    connection.socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
    expect(await connection.acknowledged).toBe(true);
    connection.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: '{ __typename }' } }));
    return { messages, closed: connection.closed };
  }

  it('closes the connection with 4400 and a reason that says why, echoing nothing', async () => {
    const { messages, closed } = await subscribeWithId('x'.repeat(512 * 1024));
    // Whichever comes first: the close, or the operation's answer echoing the id.
    const answered = eventually(() => Promise.resolve(messages.some((message) => message.type === 'complete')), Boolean, { timeoutMs: 3_000 })
      .then(() => 'answered')
      .catch(() => 'not answered');
    expect(await Promise.race([closed, answered])).toEqual({ code: 4400, reason: OPERATION_ID_TOO_LONG });
    expect(messages.map((message) => message.type)).toEqual(['connection_ack']);
  });

  it('answers an id of 128 characters as any other', async () => {
    const id = 'y'.repeat(MAX_OPERATION_ID_LENGTH);
    const { messages } = await subscribeWithId(id);
    await eventually(() => Promise.resolve(messages.map((message) => message.type)), (types) => types.includes('complete'));
    expect(messages.filter((message) => message.type !== 'connection_ack').map((message) => [message.type, message.id])).toEqual([
      ['next', id],
      ['complete', id],
    ]);
  });
});
