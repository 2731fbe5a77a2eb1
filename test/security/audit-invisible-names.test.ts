import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Names the gateway sends are checked (input-checks.ts), but those an audit line copies come
 * from the provider too: an instance named in the provider's panel with U+202E read
 * "exe.jpg" in an audit line that said "gpj.exe", and tag characters hid text after a name.
 * In an audit line, as in a provider's message, such characters show as U+FFFD.
 */
describe('audit lines: a provider-side name with invisible or bidirectional characters', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
  });
  afterAll(() => harness.close());

  it('is written with each such character as U+FFFD', async () => {
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.vms[2]!.name = 'report\u202egpj.exe\u{e0072}\u{e006d}';
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; name: string } }> } }>('{ instances { edges { node { id name } } } }');
    const instance = listed.data!.instances.edges.find((edge) => edge.node.name.startsWith('report'))!.node;
    // The API answers the provider's name as it is: what a dashboard shows is the dashboard's to escape.
    expect(instance.name).toBe('report\u202egpj.exe\u{e0072}\u{e006d}');
    const answer = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: instance.id, name: 'audited' } });
    expect(answer.errors).toBeUndefined();
    const line = harness.logs.map((text) => JSON.parse(text) as Record<string, unknown>).filter((entry) => entry.audit === true && entry.operation === 'createBackup').at(-1);
    expect(line).toMatchObject({ instance: { name: 'report\ufffdgpj.exe\ufffd\ufffd' } });
  });
});
