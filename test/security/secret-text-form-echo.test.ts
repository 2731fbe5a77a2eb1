import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { errorCodes, type Harness, startHarness, withClients } from '../helpers/harness.js';

/**
 * BILLmanager (Zomro) quotes a request's form body back in an error message, URL-encoded: there a
 * `"` is `%22`, which the scrubber reads through. A name of candidates `ken"-3f90` ... `ken"-3f9f`
 * held no form the scrubber finds as written, passed the write check, and came back in the echo
 * with the one that continues the account's token `[redacted]`: the oracle again. The check
 * reads the text URL-encoded too now.
 */
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
/** Seven characters of the Zomro token known (`ken-3f9`), a `"` put inside them, the eighth guessed. */
const KNOWN = ZOMRO_SIM_TOKEN.slice(12, 19);
const NAME = [...'0123456789abcdef'].map((next) => `${KNOWN.slice(0, 3)}"${KNOWN.slice(3)}${next}`).join(' ');
const WRITER = { name: 'writer', key: 'writer-key-0123456789abcdef', roles: ['operator'] };

describe('a name read back URL-encoded from a provider that quotes the form body', () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withClients([WRITER])] });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string } } }> } }>('{ instances(first: 100) { edges { node { id provider { id } } } } }', {}, { key: WRITER.key });
    instanceId = list.data!.instances.edges.map((edge) => edge.node).find((node) => node.provider.id === harness.providerId('zomro'))!.id;
  });
  afterAll(() => harness.close());

  it('is refused before any provider call, and nothing comes back redacted', async () => {
    await harness.simulator('zomro').server.setFault({ mode: 'echo', onlyLabel: 'instances.fleio_bckps.edit' });
    harness.resetUpstreamLogs();
    const answer = await harness.gql(CREATE, { input: { instanceId, name: NAME } }, { key: WRITER.key });
    expect(answer.text).not.toContain('[redacted]');
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/^name holds text the gateway redacts from provider answers/);
    expect(harness.upstreamCount()).toBe(0);
  });
});
