import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A large answer is scrubbed a piece per turn, each piece ending just after a separator (a `,`, a
 * `:`, a `|`: joiners all). An OnApp front answers its VM list with the account's key cut every 7
 * characters by a run of joiners the reading of escaped joiners joins into one (`-,-,-,\u002d`,
 * `\u002d,,,,`, `- , - , %2D`), each after every padding from none to a piece's length less one, so
 * that a cut falls at each place of each run. Cut inside one, neither piece read the run, and the
 * key's 7-character pieces either side reached the names.
 */
const USER = 'ops-admin';
const KEY = 'Dnb7Kq8Rw2Zx4LmTpQ';
const PIECE = 48;

const RUNS = ['-,-,-,-,\\u002d', ',,,,,,,,\\u002d', '\\u002d,,,,,,,,', '\\u002d, ,:', '- , - , %2D', '\\\\u002d::', '&amp;amp;amp;lt;,|', '||&lt;', '-,--\\u002d'];
const cutEverySeven = (between: string): string => `${KEY.slice(0, 7)}${between}${KEY.slice(7, 14)}${between}${KEY.slice(14)}`;
const sevens = Array.from({ length: KEY.length - 6 }, (_, at) => KEY.slice(at, at + 7).toLowerCase());

/** One VM per run and padding, in order. */
const labels = RUNS.flatMap((between) => Array.from({ length: PIECE }, (_, padding) => `${' '.repeat(padding)}${cutEverySeven(between)}`));
const listAnswer = `[${labels.map((label, index) => `{"virtual_machine":{"id":${index + 1},"label":"${label}","identifier":"i${index + 1}"}}`).join(',')}]`;

describe('a large answer cut inside a run of joiners between pieces of a secret', () => {
  let harness: Harness;
  let front: Server;

  beforeAll(async () => {
    front = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url?.startsWith('/virtual_machines.json') ? listAnswer : '[]');
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      scrubCharsPerTurn: PIECE,
      configure: [withAccountCopy('onapp', { id: 'onapp-quoting', url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, auth: { username: USER, password: KEY } })],
    });
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
    front?.close();
  });

  it('leaves none of the key in any name, wherever the cut falls', async () => {
    expect(listAnswer.length).toBeGreaterThan(100 * PIECE);
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { name: string } }>; providerErrors: unknown[] } }>(
      `{ instances(providerId: "onapp-quoting", first: ${labels.length}) { edges { node { name } } providerErrors { code } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.providerErrors).toEqual([]);
    const names = answer.data?.instances.edges.map((edge) => edge.node.name) ?? [];
    expect(names).toHaveLength(labels.length);
    const leaks = names.flatMap((name, index) =>
      sevens.some((seven) => name.toLowerCase().includes(seven)) ? [`${RUNS[Math.floor(index / PIECE)]} after ${index % PIECE}: ${name}`] : [],
    );
    expect(leaks).toEqual([]);
  }, 60_000);
});
