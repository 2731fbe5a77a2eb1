import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'wide-variable-objects-operator-key-0123';
type Failure = { message: string; extensions: { code: string } };
type Answer = { status?: number; errors?: Failure[] };

/** Names of the object the client sends: past any input type's fields (13), as a hostile body is. */
const NAMES = 20_000;
const wideObject = (): Record<string, number> => Object.fromEntries(Array.from({ length: NAMES }, (_, index) => [`k${index}`, 1]));

/**
 * A variable holding an input object of many names none of its type has: graphql-js's coercion
 * (which reads the variables graphql-jit refused, and runs every mutation and a subscription's
 * variables) told each unknown name with the whole object quoted, `inspect` listing every name,
 * up to 50 times. One object of 80,000 names (870 KB of body) held the event loop 11 s, for any
 * key, over HTTP and WebSocket. Counted, not timed: the times the object's names are listed while
 * the request runs (graphql-js's `inspect` lists them with Object.entries, graphql-jit's and the
 * gateway's walks with Object.keys), in this process, where the harness runs the gateway.
 */
describe('a variable holding an object wider than any input type', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'operator', key: KEY, roles: ['operator'] }]) });
  });
  afterAll(() => harness.close());

  /** What `work` answered, and how often an object of NAMES names or more had its names listed meanwhile. */
  const listingsWhile = async (work: () => Promise<Answer>): Promise<{ answer: Answer; listings: number }> => {
    let listings = 0;
    const keys = Object.keys;
    const entries = Object.entries;
    const countWide = (length: number) => {
      if (length >= NAMES) listings += 1;
    };
    const keysSpy = vi.spyOn(Object, 'keys').mockImplementation((value: object) => {
      const names = keys(value);
      countWide(names.length);
      return names;
    });
    const entriesSpy = vi.spyOn(Object, 'entries').mockImplementation((value: object) => {
      const pairs = entries(value);
      countWide(pairs.length);
      return pairs;
    });
    try {
      return { answer: await work(), listings };
    } finally {
      keysSpy.mockRestore();
      entriesSpy.mockRestore();
    }
  };

  /** The request's payload as JSON text; variables given as text go as they are (deeper than JSON.stringify can write). */
  const payloadText = (query: string, variables: Record<string, unknown> | string): string =>
    typeof variables === 'string' ? `{"query":${JSON.stringify(query)},"variables":${variables}}` : JSON.stringify({ query, variables });

  const overHttp = async (query: string, variables: Record<string, unknown> | string): Promise<Answer> => {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: payloadText(query, variables) });
    return { status: response.status, ...((await response.json()) as Answer) };
  };

  /** One operation on a fresh connection: the `error` message's errors, or the first `next` payload. */
  const overWebSocket = async (query: string, variables: Record<string, unknown> | string): Promise<Answer> => {
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    const answer = new Promise<Answer>((resolve) => {
      socket.on('close', () => resolve({ errors: [{ message: 'closed', extensions: { code: 'CLOSED' } }] }));
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
        if (message.type === 'connection_ack') socket.send(`{"id":"1","type":"subscribe","payload":${payloadText(query, variables)}}`);
        if (message.type === 'error') resolve({ errors: message.payload as Failure[] });
        if (message.type === 'next') resolve(message.payload as Answer);
      });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } }));
    const result = await answer;
    socket.close();
    return result;
  };

  const operations = [
    { kind: 'query', query: 'query($f: InstanceFilter) { instances(first: 1, filter: $f) { totalCount } }', variable: 'f' },
    { kind: 'mutation', query: 'mutation($i: CreateBackupInput!) { createBackup(input: $i) { operation { id } } }', variable: 'i' },
  ];
  const transports = [
    ['HTTP', overHttp],
    ['WebSocket', overWebSocket],
  ] as const;

  for (const [transport, run] of transports) {
    for (const { kind, query, variable } of operations) {
      it(`is refused as the client's mistake, naming the variable, its names listed a few times, not 50 (${kind}, ${transport})`, async () => {
        const upstreamBefore = harness.upstreamCount();
        const { answer, listings } = await listingsWhile(() => run(query, { [variable]: wideObject() }));
        // The gateway's walk and the cost check's: not one listing per error (graphql-js's 50 and graphql-jit's).
        expect(listings).toBeLessThanOrEqual(4);
        expect(answer.errors?.map((error) => [error.extensions.code, error.message])).toEqual([
          ['BAD_USER_INPUT', `Variable "$${variable}" holds an object of ${NAMES} names, more than any input type has fields (13 at most): send only the fields its type names.`],
        ]);
        if (transport === 'HTTP') expect(answer.status).toBe(400);
        expect(harness.upstreamCount()).toBe(upstreamBefore);
      });
    }
  }

  // A subscription's one argument is an ID: graphql-js quoted such an object once ("ID cannot represent value: ..."), never 50 times.
  it('refuses a subscription\'s in the same words over WebSocket', async () => {
    const { answer, listings } = await listingsWhile(() => overWebSocket('subscription($id: ID!) { operationUpdated(id: $id) { id } }', { id: wideObject() }));
    expect(answer.errors?.map((error) => error.message)).toEqual([`Variable "$id" holds an object of ${NAMES} names, more than any input type has fields (13 at most): send only the fields its type names.`]);
    expect(listings).toBeLessThanOrEqual(4);
  });

  // `_Any` is no input type, but a reference to these entities names its __typename and id, and no more (no @requires).
  it('refuses an _entities representation of as many names alike, and takes a reference as a router sends it', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const wide = await overHttp(query, { r: [{ __typename: 'Provider', id: 'zomro-test', ...wideObject() }] });
    expect(wide.errors?.map((error) => error.message)).toEqual([`Variable "$r" holds an object of ${NAMES + 2} names, more than any input type has fields (13 at most): send only the fields its type names.`]);
    const reference = await overHttp(query, { r: [{ __typename: 'Provider', id: harness.providerId('zomro') }] });
    expect(reference.errors).toBeUndefined();
  });

  /**
   * JSON.parse takes any depth: graphql-scalars' DateTime quoted a value 100,000 levels deep with
   * JSON.stringify, whose recursion ran out of stack, and the answer told the engine's words.
   */
  for (const [transport, run] of transports) {
    it(`refuses a variable nested past a document's nesting limit before a scalar quotes it (${transport})`, async () => {
      const levels = 100_000;
      const deep = `{"t":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
      const answer = await run('query($t: DateTime) { backups(first: 1, filter: { createdAfter: $t }) { totalCount } }', deep);
      expect(answer.errors?.map((error) => [error.extensions.code, error.message])).toEqual([
        ['BAD_USER_INPUT', 'Variable "$t" nests objects and lists more than 200 deep, deeper than any input type: send a flatter value.'],
      ]);
      expect(JSON.stringify(answer)).not.toContain('call stack');
    });
  }

  it('still takes an input object with its own fields, and one of a few unknown names gets graphql-js\'s words (guard)', async () => {
    const taken = await overHttp('query($f: InstanceFilter) { instances(first: 1, filter: $f) { totalCount } }', { f: { status: ['RUNNING'] } });
    expect(taken.errors).toBeUndefined();
    const mistaken = await overHttp('query($f: InstanceFilter) { instances(first: 1, filter: $f) { totalCount } }', { f: { nam: 'web' } });
    expect(mistaken.errors?.map((error) => error.message)).toEqual(['Variable "$f" got invalid value { nam: "web" }; Field "nam" is not defined by type "InstanceFilter".']);
  });

  it('leaves alone a wide object in a variable the operation does not declare (guard)', async () => {
    const answer = await overHttp('query { providers { id } }', { unused: wideObject() });
    expect(answer.errors).toBeUndefined();
  });
});
