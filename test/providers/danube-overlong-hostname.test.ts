import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { encodeId } from '../../src/domain/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id } } } } }';
const BACKUP = 'query($id: ID!) { backup(id: $id) { id } }';
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Instance { nativeId backups { id } } } }';
const ENTITIES = 'query($b: ID!) { _entities(representations: [{ __typename: "Backup", id: $b }]) { ... on Backup { id } } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';

type Listed = { instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string }> | null } }> } };

const ONE_LONG_LABEL = 'a'.repeat(255);
const OVER_253 = `${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(62)}`;
/** Odd but a hostname: a label past DNS's 63 (Danube's own pattern allows it), and a name of exactly 253 characters. */
const LONG_LABEL_LISTED = `${'w'.repeat(100)}.example.com`;
const LONGEST_LISTED = `${'f'.repeat(63)}.${'g'.repeat(63)}.${'h'.repeat(63)}.${'i'.repeat(61)}`;

/**
 * A hostname longer than any host's name (253 characters) in a client's id went to Danube, which
 * refused it (412 "Invalid hostname"), and the client read PROVIDER_ERROR for its own id.
 */
describe('danube: a client id naming a hostname longer than any hostname', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(() => harness.close());

  it('has the lengths it says', () => {
    expect(ONE_LONG_LABEL.length).toBe(255);
    expect(OVER_253.length).toBe(254);
    expect(LONGEST_LISTED.length).toBe(253);
  });

  it.each([
    ['one label of 255 characters', ONE_LONG_LABEL],
    ['a name of 254 characters', OVER_253],
  ])('is BAD_USER_INPUT before any call, in a backup id read by `backup` (%s)', async (_name, hostname) => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(BACKUP, { id: encodeId('Backup', 'danube-test', [hostname, 'daily-20240101_000000', '1']) });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toMatch(/not a valid Danube hostname/);
    expect(JSON.stringify(answer)).not.toContain(hostname.slice(0, 100));
    expect(harness.upstreamCount('danube')).toBe(0);
  });

  it.each([
    ['one label of 255 characters', ONE_LONG_LABEL],
    ['a name of 254 characters', OVER_253],
  ])('is BAD_USER_INPUT before any call, in a backup id read by `node` and in a deleteBackup (%s)', async (_name, hostname) => {
    const backupId = encodeId('Backup', 'danube-test', [hostname, 'daily-20240101_000000', '1']);
    harness.resetUpstreamLogs();
    const read = await harness.gql(NODE, { id: backupId });
    expect(errorCodes(read)).toEqual(['BAD_USER_INPUT']);
    const deleted = await harness.gql(DELETE_BACKUP, { input: { backupId } });
    expect(errorCodes(deleted)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify([read, deleted])).not.toContain(hostname.slice(0, 100));
    expect(harness.upstreamCount('danube')).toBe(0);
  });

  it.each([
    ['one label of 255 characters', ONE_LONG_LABEL],
    ['a name of 254 characters', OVER_253],
  ])('is BAD_USER_INPUT before any call over WebSocket and in federation `_entities` too (%s)', async (_name, hostname) => {
    const backupId = encodeId('Backup', 'danube-test', [hostname, 'daily-20240101_000000', '1']);
    const ws = wsClient(harness.gateway.graphqlUrl);
    try {
      harness.resetUpstreamLogs();
      const answers = [await wsRun(ws, BACKUP, { id: backupId }), await harness.gql(ENTITIES, { b: backupId }), await wsRun(ws, ENTITIES, { b: backupId })];
      for (const answer of answers) {
        expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors?.[0]?.message).toMatch(/not a valid Danube hostname/);
      }
      expect(JSON.stringify(answers)).not.toContain(hostname.slice(0, 100));
      expect(harness.upstreamCount('danube')).toBe(0);
    } finally {
      await ws.dispose();
    }
  });

  it.each([
    ['a label of 100 characters', LONG_LABEL_LISTED],
    ['a name of exactly 253 characters', LONGEST_LISTED],
  ])('still reads a VM Danube lists with an odd but possible hostname, and takes its ids back (%s)', async (_name, hostname) => {
    simulator.vms.push({ hostname, uuid: randomUUID(), alias: 'odd', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 512, disks: 1 });
    try {
      const listed = await harness.gql<Listed>(INSTANCES);
      expect(listed.errors).toBeUndefined();
      const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === hostname)!;
      expect(vm.backups).toEqual([]);
      const again = await harness.gql<{ node: { id: string; nativeId: string; backups: unknown[] | null } | null }>(NODE, { id: vm.id });
      expect(again.errors).toBeUndefined();
      expect(again.data?.node).toEqual({ id: vm.id, nativeId: hostname, backups: [] });
      // A backup id naming it is asked of Danube (which has no such backup), not refused.
      harness.resetUpstreamLogs();
      const backup = await harness.gql<{ backup: unknown }>(BACKUP, { id: encodeId('Backup', 'danube-test', [hostname, 'daily-20240101_000000', '1']) });
      expect(backup.errors).toBeUndefined();
      expect(backup.data?.backup).toBeNull();
      expect(harness.upstreamCount('danube')).toBeGreaterThan(0);
    } finally {
      simulator.vms.pop();
    }
  });
});
