import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { nativeId backups { id } } } } }';
const BACKUP = 'query($id: ID!) { backup(id: $id) { id } }';

type Listed = { instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string }> | null } }> } };

const withHostname = (backupId: string, hostname: string): string => {
  const [tag, provider, , ...rest] = JSON.parse(Buffer.from(backupId, 'base64url').toString('utf8')) as string[];
  return Buffer.from(JSON.stringify([tag, provider, hostname, ...rest]), 'utf8').toString('base64url');
};

/**
 * A hostname cannot go into a URL path with `/` or `..` in it, or past 253 characters. One a
 * client sent in an id is its input; one the provider's own VM list named is the provider's
 * answer: the VM's backups read BAD_USER_INPUT "not a valid Danube hostname", blaming the client.
 */
describe('danube: a VM hostname that cannot be used in a URL', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(() => harness.close());

  it.each([
    ['with "/" and ".."', 'evil/../web01.example.com'],
    ['over 255 characters', `${'a'.repeat(256)}.example.com`],
  ])('is the provider\'s error where its VM list named it (%s)', async (_name, hostname) => {
    simulator.vms.push({ hostname, uuid: randomUUID(), alias: 'odd', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 512, disks: 1 });
    try {
      const listed = await harness.gql<Listed>(INSTANCES);
      const odd = listed.errors?.filter((error) => error.path?.includes('backups')) ?? [];
      expect(odd.map((error) => error.extensions?.code)).toEqual(['PROVIDER_ERROR']);
      expect(odd[0]?.message).toMatch(/listed a VM whose hostname cannot be used in a URL/);
      expect(odd[0]?.extensions?.providerCode).toBe('INVALID_RESPONSE');
      // The other VMs' backups still read.
      expect(listed.data?.instances.edges.some((edge) => edge.node.nativeId !== hostname && (edge.node.backups?.length ?? 0) > 0)).toBe(true);
    } finally {
      simulator.vms.pop();
    }
  });

  it('stays BAD_USER_INPUT where a client sent the hostname in an id', async () => {
    const listed = await harness.gql<Listed>(INSTANCES);
    const backupId = listed.data!.instances.edges.flatMap((edge) => edge.node.backups ?? [])[0]!.id;
    const answer = await harness.gql(BACKUP, { id: withHostname(backupId, 'evil/../web01.example.com') });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/not a valid Danube hostname/);
  });

  // Danube's hostnames are letters, digits, '-' and '.' (esdc-ce's VmDefineSerializer): one holding
  // anything else it never listed. Sent on, Danube refused it ("Invalid hostname", 412), and the
  // client read PROVIDER_ERROR, blaming the provider for its own id.
  it.each([
    ['"&" and "="', 'a&b=c'],
    ['"_"', 'web_01.example.com'],
    ['a space', 'web 01'],
    ['"%"', 'web%2F01'],
  ])('is BAD_USER_INPUT, before any call, where a client sent a hostname Danube never lists (%s)', async (_name, hostname) => {
    const listed = await harness.gql<Listed>(INSTANCES);
    const backupId = listed.data!.instances.edges.flatMap((edge) => edge.node.backups ?? [])[0]!.id;
    harness.resetUpstreamLogs();
    const answer = await harness.gql(BACKUP, { id: withHostname(backupId, hostname) });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/not a valid Danube hostname/);
    expect(harness.upstreamCount('danube')).toBe(0);
  });
});
