import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_CONTAINERS } from '../../src/upstream/json-containers.js';
import { PIECE_LIMITS } from '../../src/upstream/json-in-turns.js';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';
import { parseWorkWhile } from '../helpers/parse-work-per-turn.js';

/**
 * An answer JSON.parse takes longest on for its size: one VM whose `disks` are empty objects, just
 * under the container limit (6 MB). Read by one JSON.parse it held the event loop 0.3-0.5 s.
 */
const EMPTY_OBJECTS = MAX_JSON_CONTAINERS - 10_000;
const heldAnswer = `[{"virtual_machine":{"id":1,"label":"held","identifier":"i1","disks":[${'{},'.repeat(EMPTY_OBJECTS - 1)}{}]}}]`;
/** The same, with a trailing comma at the very end: malformed where only a reading of it all can tell. */
const malformedAnswer = `${heldAnswer.slice(0, -4)},]}}]`;

async function onappAnswering(vms: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/virtual_machines.json') ? vms : '[]');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

type Instances = { instances: { totalCount: number; providerErrors: Array<{ code: string; message: string }> } };

describe('a large provider answer is parsed in turns of the event loop', () => {
  let harness: Harness;
  let held: { server: Server; url: string };
  let malformed: { server: Server; url: string };

  beforeAll(async () => {
    held = await onappAnswering(heldAnswer);
    malformed = await onappAnswering(malformedAnswer);
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withAccountCopy('onapp', { id: 'onapp-held', url: held.url }), withAccountCopy('onapp', { id: 'onapp-malformed', url: malformed.url })],
    });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    held.server.close();
    malformed.server.close();
  });

  it("answers another client's small queries while it parses, holding no turn of the loop for more than a piece (one JSON.parse held them all)", async () => {
    await harness.gql('{ __typename }');
    let reading = true;
    let answeredMeanwhile = 0;
    const other = (async () => {
      while (reading) {
        await harness.gql('{ __typename }');
        answeredMeanwhile++;
      }
    })();
    const { result: answer, parsed } = await parseWorkWhile(() => harness.gql<Instances>('{ instances(providerId: "onapp-held") { totalCount providerErrors { code message } } }'));
    reading = false;
    await other;
    expect(answer.data?.instances).toEqual({ totalCount: 1, providerErrors: [] });
    expect(answeredMeanwhile).toBeGreaterThan(1);
    // All of the answer went through JSON.parse, no more than a piece's containers in a turn
    // (one JSON.parse of it had them all in one); the other client's small answers add a few.
    expect(parsed.containers).toBeGreaterThan(EMPTY_OBJECTS);
    expect(parsed.mostInOneTurn, JSON.stringify(parsed)).toBeLessThanOrEqual(PIECE_LIMITS.containers + 100);
  }, 60_000);

  it('still names a large malformed answer a provider error, as JSON.parse had it', async () => {
    const answer = await harness.gql<Instances>('{ instances(providerId: "onapp-malformed") { totalCount providerErrors { code message } } }');
    expect(answer.data?.instances).toEqual({ totalCount: 0, providerErrors: [{ code: 'PROVIDER_ERROR', message: 'provider onapp-malformed sent malformed JSON' }] });
  }, 60_000);
});
