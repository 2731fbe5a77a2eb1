import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups?: Array<{ nativeId: string }> | null;
  definitions?: Array<{ name: string }> | null;
  schedules?: Array<{ name: string }> | null;
}
interface Listed {
  instances: { edges: Array<{ node: Node }> };
}
const errorsOf = (answer: { errors?: Array<{ path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown>; message: string }> }) =>
  (answer.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode, error.message]).sort();

/**
 * Lists read for many VMs at once (ZStack's volume backups, Danube's definitions for the whole
 * account) failed whole for one row whose own id the gateway cannot read back: every VM read with
 * it lost its backups, or its definitions and schedules (null). The row is left out, and reported
 * at each list of its VM that would have held it; the other VMs' lists are answered as they are.
 */
describe('zstack: a volume backup whose group uuid cannot be read back', () => {
  let harness: Harness;
  let vm: string;
  let kept: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const groupsOf = (uuid: string) => [...new Set(simulator.volumeBackups.filter((row) => row.vmInstanceUuid === uuid).map((row) => String(row.groupUuid)))];
    vm = String(simulator.vms.find((row) => groupsOf(String(row.uuid)).length >= 2)!.uuid);
    const [planted, ...others] = groupsOf(vm);
    kept = others.sort();
    // A VM backup of its root and data volumes: two volume rows, one backup, counted as one.
    expect(simulator.volumeBackups.filter((row) => row.groupUuid === planted)).toHaveLength(2);
    for (const row of simulator.volumeBackups) if (row.groupUuid === planted) row.groupUuid = 'g'.repeat(2000);
  });
  afterAll(() => harness.close());

  it("leaves that backup out of its VM's backups, answers every other VM's, and says so at that list", async () => {
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }');
    const edges = listed.data!.instances.edges;
    const index = edges.findIndex((edge) => edge.node.nativeId === vm);
    expect(edges[index]!.node.backups?.map((backup) => backup.nativeId).sort()).toEqual(kept);
    expect(edges.filter((edge) => edge.node.backups === null)).toEqual([]);
    expect(errorsOf(listed)).toEqual([
      [`instances.edges.${index}.node.backups`, 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider zstack-test sent an id of 2000 bytes (at most 512 are read): one backup left out of its backups list, the others answered'],
    ]);
    expect(listed.text).not.toContain('g'.repeat(600));
  });
});

describe('danube: a backup definition whose name cannot be read back', () => {
  let harness: Harness;
  let vm: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const planted = simulator.definitions[0]!;
    vm = String(planted.hostname);
    planted.name = 'd'.repeat(2000);
  });
  afterAll(() => harness.close());

  it("leaves it out of its VM's definitions and schedules, answers every other VM's, and says so at both lists", async () => {
    const listed = await harness.gql<Listed>('{ instances(first: 100) { edges { node { nativeId definitions { name } schedules { name } } } } }');
    const edges = listed.data!.instances.edges;
    const index = edges.findIndex((edge) => edge.node.nativeId === vm);
    expect(edges[index]!.node.definitions?.map((definition) => definition.name)).not.toContain('d'.repeat(2000));
    expect(edges.filter((edge) => edge.node.definitions === null || edge.node.schedules === null)).toEqual([]);
    expect(edges.some((edge) => (edge.node.definitions?.length ?? 0) > 0)).toBe(true);
    const reason = 'provider danube-test sent an id of 2000 bytes (at most 512 are read)';
    expect(errorsOf(listed)).toEqual([
      [`instances.edges.${index}.node.definitions`, 'PROVIDER_ERROR', 'INVALID_RESPONSE', `${reason}: one definition left out of its definitions list, the others answered`],
      [`instances.edges.${index}.node.schedules`, 'PROVIDER_ERROR', 'INVALID_RESPONSE', `${reason}: one row left out of its schedules list, the others answered`],
    ]);
    expect(listed.text).not.toContain('d'.repeat(600));
  });
});

/** `BackupDefinition.backups` is read from its VM's backups: a row left out of them is reported at each definition's list, which had no path. */
describe("danube: a backup whose name cannot be read back, under its VM's definitions", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.backups.find((backup) => backup.define === 'daily')!.name = 'x'.repeat(2000);
  });
  afterAll(() => harness.close());

  it("says so at each of that VM's definitions' backups", async () => {
    interface WithDefinitionBackups {
      instances: { edges: Array<{ node: { nativeId: string; definitions: Array<{ name: string; backups: Array<{ nativeId: string }> | null }> | null } }> };
    }
    const listed = await harness.gql<WithDefinitionBackups>('{ instances(first: 100) { edges { node { nativeId definitions { name backups { nativeId } } } } } }');
    const edges = listed.data!.instances.edges;
    const errorPaths = (listed.errors ?? []).map((error) => error.path?.join('.')).sort();
    const owners = edges.flatMap((edge, index) => (edge.node.definitions ?? []).map((_, at) => `instances.edges.${index}.node.definitions.${at}.backups`));
    const leftOutAt = owners.filter((path) => errorPaths.includes(path));
    expect(leftOutAt.length).toBeGreaterThan(0);
    expect(errorPaths).toEqual(leftOutAt.sort());
    // All of one VM's definitions: the one whose backups left the row out.
    expect(new Set(leftOutAt.map((path) => path.split('.')[2])).size).toBe(1);
  });
});
