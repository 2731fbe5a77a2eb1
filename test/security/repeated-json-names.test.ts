import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { repeatedJsonNameMessage } from '../../src/server/duplicate-json-keys.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { exchangeRaw, rawAnswerBody, rawHeadOf as headOf, rawStatusOf as statusOf } from '../helpers/raw-http.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'repeated-names-viewer-key-0123456789';

/** Sends each message in turn on a graphql-transport-ws connection; what came back, and the close. */
function exchangeMessages(graphqlUrl: string, messages: string[]): Promise<{ received: string[]; code: number; reason: string }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
    const received: string[] = [];
    socket.on('error', () => {});
    socket.once('open', () => socket.send(messages[0]!));
    socket.on('message', (data) => {
      received.push(String(data));
      const type = (JSON.parse(String(data)) as { type: string }).type;
      if (type === 'connection_ack') for (const message of messages.slice(1)) socket.send(message);
      if (type === 'complete') socket.close(1000);
    });
    socket.once('close', (code, reason) => resolve({ received, code, reason: reason.toString() }));
  });
}

/**
 * JSON.parse keeps the last of a name an object holds twice; a proxy or WAF in front may judge
 * the request by the first: `{"query": "{ __typename }", "query": "<something else>"}` ran the
 * second, unseen. Refused like two Authorization lines, on every way a request's JSON comes in.
 */
describe('JSON naming one thing twice', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'viewer', key: KEY, roles: ['viewer'] }]) });
    port = Number(new URL(harness.gateway.url).port);
  });
  afterAll(() => harness.close());

  const post = (body: string) =>
    exchangeRaw(port, `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);

  it('answers a POST body naming a field twice, at the top or in the variables, with a typed 400 naming it (the last one ran)', async () => {
    const bodies = [
      { body: '{"query":"{ __typename }","query":"{ providers { id } }"}', name: 'query' },
      { body: '{"query":"{ __typename }","qu\\u0065ry":"{ providers { id } }"}', name: 'query' },
      { body: '{"query":"query($id: ID!) { node(id: $id) { id } }","variables":{"id":"a","id":"b"}}', name: 'id' },
      { body: '{"query":"{ __typename }","operationName":null,"operationName":null}', name: 'operationName' },
    ];
    for (const { body, name } of bodies) {
      const answer = await post(body);
      expect(statusOf(answer), body).toBe(400);
      expect(headOf(answer), body).toContain('x-content-type-options: nosniff');
      expect(rawAnswerBody(answer), body).toEqual({ errors: [{ message: repeatedJsonNameMessage(name), extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    // The same name in two objects, and malformed JSON, are answered as before.
    const fine = await post('{"query":"query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }","variables":{"a":"x","b":"y"},"extensions":{}}');
    expect(statusOf(fine)).toBe(200);
    const malformed = await post('{"query":"a","query":');
    expect((rawAnswerBody(malformed) as { errors: Array<{ message: string }> }).errors[0]!.message).toMatch(/not valid JSON/);
  });

  it('answers a GET whose variables name a field twice with the same 400', async () => {
    const search = new URLSearchParams({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: '{"id":"a","id":"b"}' });
    const answer = await exchangeRaw(port, `GET /graphql?${search} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\napollo-require-preflight: true\r\nconnection: close\r\n\r\n`);
    expect(statusOf(answer)).toBe(400);
    expect(rawAnswerBody(answer)).toEqual({ errors: [{ message: repeatedJsonNameMessage('id'), extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('reads a GET\'s variables as Apollo does: after 1000 other parameters, and with a JSON body beside them', async () => {
    const search = new URLSearchParams({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: '{"id":"a","id":"b"}' });
    const others = Array.from({ length: 1000 }, (_, index) => `p${index}=1`).join('&');
    const afterOthers = await exchangeRaw(port, `GET /graphql?${others}&${search} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\napollo-require-preflight: true\r\nconnection: close\r\n\r\n`);
    expect(statusOf(afterOthers)).toBe(400);
    expect(rawAnswerBody(afterOthers)).toEqual({ errors: [{ message: repeatedJsonNameMessage('id'), extensions: { code: 'BAD_USER_INPUT' } }] });
    const withBody = await exchangeRaw(port, `GET /graphql?${search} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${KEY}\r\napollo-require-preflight: true\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}`);
    expect(statusOf(withBody)).toBe(400);
    expect(rawAnswerBody(withBody)).toEqual({ errors: [{ message: repeatedJsonNameMessage('id'), extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('closes a WebSocket with 4400 at a message naming a field twice, connection_init or subscribe (the last one ran)', async () => {
    const init = JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } });
    const subscribe = '{"id":"1","type":"subscribe","payload":{"query":"{ __typename }","query":"{ providers { id } }"}}';
    const refusedSubscribe = await exchangeMessages(harness.gateway.graphqlUrl, [init, subscribe]);
    expect(refusedSubscribe.received.map((message) => (JSON.parse(message) as { type: string }).type)).toEqual(['connection_ack']);
    expect({ code: refusedSubscribe.code, reason: refusedSubscribe.reason }).toEqual({ code: 4400, reason: repeatedJsonNameMessage('query') });
    const refusedInit = await exchangeMessages(harness.gateway.graphqlUrl, [`{"type":"connection_init","payload":{"authorization":"Bearer not-a-key-0000000000","authorization":"Bearer ${KEY}"}}`]);
    expect({ received: refusedInit.received, code: refusedInit.code, reason: refusedInit.reason }).toEqual({ received: [], code: 4400, reason: repeatedJsonNameMessage('authorization') });
    // Without the repeat, the same messages are answered.
    const answered = await exchangeMessages(harness.gateway.graphqlUrl, [init, '{"id":"1","type":"subscribe","payload":{"query":"{ providers { id } }"}}']);
    expect(answered.received.map((message) => (JSON.parse(message) as { type: string }).type)).toEqual(['connection_ack', 'next', 'complete']);
  });
});
