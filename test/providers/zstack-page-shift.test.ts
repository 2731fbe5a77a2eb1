import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Shown {
  nativeId: string;
  backups: Array<{ nativeId: string; sizeBytes: number | null }>;
}

const VIEW = '{ instances(first: 100) { edges { node { nativeId backups { nativeId sizeBytes } } } } }';

/** Each VM's backup groups and the bytes of their distinct volumes, as the simulator holds them now. */
function groupsOf(simulator: ZstackSimulator): Map<string, Map<string, number>> {
  const truth = new Map<string, Map<string, number>>();
  for (const volume of simulator.volumeBackups) {
    const groups = truth.get(String(volume.vmInstanceUuid)) ?? new Map<string, number>();
    groups.set(String(volume.groupUuid), (groups.get(String(volume.groupUuid)) ?? 0) + Number(volume.size));
    truth.set(String(volume.vmInstanceUuid), groups);
  }
  return truth;
}

/**
 * A ZStack query pages by offset (`start`, `limit`; providers.md): `start` counts into the list
 * as it is when each page is read. A volume backup made by another client between two pages,
 * ahead of the offset in the query's order (`sort=+uuid`), pushes the last row already read onto
 * the next page. The gateway read it twice: its group showed that volume twice and its size
 * counted it twice.
 */
describe('zstack: a row made between two pages of a query', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.pageCap = 3;
  });
  afterAll(() => harness.close());

  it('counts each volume backup once (the row pushed onto the next page was read again, its group size doubled)', async () => {
    const before = groupsOf(simulator);
    const template = simulator.volumeBackups.find((volume) => volume.type === 'Root')!;
    let made = false;
    simulator.beforeQuery = (route, params) => {
      if (made || route !== 'volume-backups' || Number(params.get('start') ?? 0) === 0) return;
      made = true;
      // A uuid first in `+uuid` order: every row from the offset on moves one place down.
      simulator.volumeBackups.push({ ...template, uuid: '0'.repeat(32), groupUuid: '1'.repeat(32) });
    };
    try {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
      expect(answer.errors).toBeUndefined();
      expect(made).toBe(true);
      for (const { node } of answer.data!.instances.edges) {
        const expected = [...(before.get(node.nativeId) ?? new Map<string, number>())].map(([nativeId, sizeBytes]) => ({ nativeId, sizeBytes })).sort((a, b) => a.nativeId.localeCompare(b.nativeId));
        expect([...node.backups].sort((a, b) => a.nativeId.localeCompare(b.nativeId))).toEqual(expected);
      }
    } finally {
      simulator.beforeQuery = null;
    }
    // The next read, from the first page, lists the new backup too.
    const again = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
    const owner = again.data!.instances.edges.find(({ node }) => node.nativeId === String(template.vmInstanceUuid))!.node;
    expect(owner.backups.some((backup) => backup.nativeId === '1'.repeat(32))).toBe(true);
  });
});

/**
 * The other way: a volume backup deleted by another client between two pages, ahead of the offset,
 * moves every later row up one place, and the first row of the next page was never read: its group
 * lost that volume (or was not listed at all) until the next list. The page's `total` falls: the
 * gateway reads the query again from the start.
 */
describe('zstack: a row deleted between two pages of a query', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.pageCap = 3;
  });
  afterAll(() => harness.close());

  it('lists every row still there (the row moved up past the offset was skipped)', async () => {
    let deleted = false;
    simulator.beforeQuery = (route, params) => {
      if (deleted || route !== 'volume-backups' || Number(params.get('start') ?? 0) === 0) return;
      deleted = true;
      // The first row in `+uuid` order: every row from the offset on moves one place up.
      const first = [...simulator.volumeBackups].sort((a, b) => String(a.uuid).localeCompare(String(b.uuid)))[0]!;
      simulator.volumeBackups.splice(simulator.volumeBackups.indexOf(first), 1);
    };
    try {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
      expect(answer.errors).toBeUndefined();
      expect(deleted).toBe(true);
      const after = groupsOf(simulator);
      for (const { node } of answer.data!.instances.edges) {
        const expected = [...(after.get(node.nativeId) ?? new Map<string, number>())].map(([nativeId, sizeBytes]) => ({ nativeId, sizeBytes })).sort((a, b) => a.nativeId.localeCompare(b.nativeId));
        expect([...node.backups].sort((a, b) => a.nativeId.localeCompare(b.nativeId))).toEqual(expected);
      }
    } finally {
      simulator.beforeQuery = null;
    }
  });
});

/**
 * A hostile or busy node whose `total` falls between pages of every reading (rows deleted ahead of
 * the offset all the while): the query is read again from the start at most twice, and the third
 * reading was taken as it came, each fall a row skipped: a list missing backups still there, and
 * nothing said so (a VM's only backup skipped read UNPROTECTED). It is now the provider's error.
 */
describe('zstack: rows deleted between the pages of every reading of a query', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.pageCap = 3;
  });
  afterAll(() => harness.close());

  it('lists no backup list missing a row still there: the list is a typed error once three readings fell', async () => {
    let deletes = 0;
    simulator.beforeQuery = (route, params) => {
      if (route !== 'volume-backups' || Number(params.get('start') ?? 0) === 0) return;
      deletes += 1;
      // The first row in `+uuid` order: every row from the offset on moves one place up.
      const first = [...simulator.volumeBackups].sort((a, b) => String(a.uuid).localeCompare(String(b.uuid)))[0]!;
      simulator.volumeBackups.splice(simulator.volumeBackups.indexOf(first), 1);
    };
    try {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ raw: { volumes: Array<{ uuid: string }> } }> | null } }> } }>(
        '{ instances(first: 100) { edges { node { nativeId backups { raw } } } } }',
      );
      expect(deletes).toBeGreaterThanOrEqual(3);
      const listed = new Set(answer.data!.instances.edges.flatMap(({ node }) => (node.backups ?? []).flatMap((backup) => backup.raw.volumes.map((volume) => volume.uuid))));
      const missing = simulator.volumeBackups.map((volume) => String(volume.uuid)).filter((uuid) => !listed.has(uuid));
      // Either every row still there is listed, or the lists that could not be read say so.
      if (missing.length > 0) {
        const codes = (answer.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.providerCode]);
        expect(codes, `${missing.length} rows still there unlisted`).toContainEqual(['PROVIDER_ERROR', 'LIST_CHANGING']);
        expect(answer.data!.instances.edges.every(({ node }) => node.backups === null)).toBe(true);
      }
    } finally {
      simulator.beforeQuery = null;
    }
  });
});

/**
 * The other hostile node: rows made ahead of the offset before every page, its `total` rising each
 * time. Each page pushes the last row read onto the next, which is kept once; the reading ends.
 */
describe('zstack: rows made between the pages of every reading of a query', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.pageCap = 3;
  });
  afterAll(() => harness.close());

  it('lists each row read once, its sizes counted once, and ends', async () => {
    const before = groupsOf(simulator);
    const template = simulator.volumeBackups.find((volume) => volume.type === 'Root')!;
    let made = 0;
    simulator.beforeQuery = (route, params) => {
      if (route !== 'volume-backups' || Number(params.get('start') ?? 0) === 0) return;
      made += 1;
      // Each first in `+uuid` order, of a group of its own: every row from the offset on moves one place down.
      simulator.volumeBackups.push({ ...template, uuid: (made - 1).toString(16).padStart(32, '0'), groupUuid: (made - 1).toString(16).padStart(32, '1') });
    };
    try {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
      expect(answer.errors).toBeUndefined();
      expect(made).toBeGreaterThan(3);
      for (const { node } of answer.data!.instances.edges) {
        // Rows made ahead of the offset after the first page are not read this time: what was there before is, once.
        const expected = [...(before.get(node.nativeId) ?? new Map<string, number>())].map(([nativeId, sizeBytes]) => ({ nativeId, sizeBytes })).sort((a, b) => a.nativeId.localeCompare(b.nativeId));
        const shown = [...node.backups].filter((backup) => !backup.nativeId.startsWith('1'.repeat(8))).sort((a, b) => a.nativeId.localeCompare(b.nativeId));
        expect(shown).toEqual(expected);
      }
    } finally {
      simulator.beforeQuery = null;
    }
  });
});
