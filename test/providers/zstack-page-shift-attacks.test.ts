import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

type Listed = { instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ raw: { volumes: Array<{ uuid: string }> } }> | null } }> } };
const VIEW = '{ instances(first: 100) { edges { node { nativeId backups { raw } } } } }';

/**
 * A ZStack query pages by offset (`start`) into the list as it is when each page is read. Between
 * two pages another client deletes a volume backup ahead of the offset (in `+uuid` order) and makes
 * one behind it: `total` stays as it was, yet every row from the offset on moved up one place, and
 * the first row of the next page is never read. The gateway must list every row still there or
 * say the list could not be read (LIST_CHANGING), never answer a list short of a row unsaid.
 */
describe('zstack: a row deleted ahead of the offset and one made behind it between two pages (total unchanged)', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.pageCap = 3;
  });
  afterAll(() => harness.close());

  const rowsUnlisted = (answer: { data?: Listed | null }): string[] => {
    const listed = new Set(answer.data!.instances.edges.flatMap(({ node }) => (node.backups ?? []).flatMap((backup) => backup.raw.volumes.map((volume) => volume.uuid))));
    return simulator.volumeBackups.map((volume) => String(volume.uuid)).filter((uuid) => !listed.has(uuid) && !uuid.startsWith('f'.repeat(8)));
  };

  it.each([
    { times: 'once', swaps: 1 },
    { times: 'before every page', swaps: Number.POSITIVE_INFINITY },
  ])('$times: lists every row still there, or the lists say they could not be read', async ({ swaps }) => {
    const template = simulator.volumeBackups.find((volume) => volume.type === 'Root')!;
    let swapped = 0;
    simulator.beforeQuery = (route, params) => {
      if (swapped >= swaps || route !== 'volume-backups' || Number(params.get('start') ?? 0) === 0) return;
      const first = [...simulator.volumeBackups].sort((a, b) => String(a.uuid).localeCompare(String(b.uuid)))[0]!;
      if (String(first.uuid).startsWith('f'.repeat(8))) return;
      swapped += 1;
      simulator.volumeBackups.splice(simulator.volumeBackups.indexOf(first), 1);
      // Last in `+uuid` order, a group of its own: behind every offset.
      simulator.volumeBackups.push({ ...template, uuid: `${'f'.repeat(24)}${swapped.toString(16).padStart(8, '0')}`, groupUuid: `${'e'.repeat(24)}${swapped.toString(16).padStart(8, '0')}` });
    };
    try {
      const answer = await harness.gql<Listed>(VIEW);
      expect(swapped).toBeGreaterThan(0);
      const missing = rowsUnlisted(answer);
      if (missing.length > 0) {
        const codes = (answer.errors ?? []).map((error) => [error.extensions?.code, error.extensions?.providerCode]);
        expect(codes, `${missing.length} rows still there unlisted`).toContainEqual(['PROVIDER_ERROR', 'LIST_CHANGING']);
      }
    } finally {
      simulator.beforeQuery = null;
    }
  });
});
