import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARS_PER_TURN } from '../../src/domain/turns.js';
import type { SecretSet } from '../../src/upstream/secrets.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Scrubbing a 32 MiB provider answer held the event loop half a second (a second with escapes):
 * every other client waited. Here the gateway's own scrubber of an account scrubs a 16 MB answer
 * in this process, the gateway's, while another client asks `{ __typename }` over HTTP back to
 * back: answers reach it before the scrub is done. The order of events says so, not a clock.
 */
const RECORDS = 160_000;

describe('a large answer being scrubbed leaves other clients served', () => {
  let harness: Harness;
  let secrets: SecretSet;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    const adapter = harness.gateway.services.providers.all.find((candidate) => candidate.account.id === harness.providerId('onapp'));
    if (!adapter) throw new Error('no onapp account');
    secrets = adapter.upstream.secrets;
  }, 60_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('answers another client while a 16 MB answer is scrubbed', async () => {
    const record = (index: number) => `{"backup":{"id":${index},"built":true,"created_at":"2024-01-02T03:04:05Z","note":"caf\\u00e9 %41 &amp; ok"}}`;
    const answer = `[${Array.from({ length: RECORDS }, (_, index) => record(index)).join(',')}]`;
    expect(answer.length).toBeGreaterThan(16 * CHARS_PER_TURN);
    // The connection is open and the gateway warm before the scrub starts.
    expect((await harness.gql('{ __typename }')).errors).toBeUndefined();

    let scrubbing = true;
    let answeredDuring = 0;
    const other = (async () => {
      while (scrubbing) {
        const reply = await harness.gql<{ __typename: string }>('{ __typename }');
        if (scrubbing && reply.data?.__typename === 'Query') answeredDuring += 1;
      }
    })();
    const scrubbed = await secrets.scrubAnswer(answer, { charsPerTurn: CHARS_PER_TURN });
    scrubbing = false;
    await other;
    expect(scrubbed).toBe(secrets.scrub(answer));
    expect(answeredDuring).toBeGreaterThan(0);
  }, 60_000);
});
