import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness, type HarnessOptions } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { backups: Array<{ id: string; nativeId: string }> | null } }> };
}
const LIST = '{ instances(first: 100) { edges { node { backups { id nativeId } } } } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }';

/**
 * A backup OnApp or Zomro listed with an id of no integer's shape goes into its delete's path
 * (`/backups/{id}.json`) or `elid`: the delete read NOT_FOUND "object not found" for a backup the
 * gateway had just listed. It is the provider's INVALID_RESPONSE, nothing sent.
 */
const HOSTILE: Array<[string, string]> = [
  ['"../"', '../1'],
  ['"?"', '1?x=1'],
  ['","', '5300001,5300002'],
  ['CR LF', '1\r\nX: 1'],
];

function deleteCase(kind: 'onapp' | 'zomro', plant: (harness: Harness, id: string) => () => void, options: Partial<HarnessOptions> = {}): void {
  describe(`${kind}: deleting a listed backup whose id is no integer`, () => {
    let harness: Harness;
    beforeAll(async () => {
      harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ cacheTtlMs: 0 }), ...options });
    });
    afterAll(() => harness.close());

    it.each(HOSTILE)("is the provider's INVALID_RESPONSE, nothing sent (%s)", async (_what, id) => {
      const restore = plant(harness, id);
      try {
        const listed = await harness.gql<Listed>(LIST);
        const backup = listed.data!.instances.edges.flatMap((edge) => edge.node.backups ?? []).find((row) => row.nativeId === id)!;
        harness.resetUpstreamLogs();
        const answer = await harness.gql(DELETE_BACKUP, { input: { backupId: backup.id } });
        expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['PROVIDER_ERROR', 'INVALID_RESPONSE']]);
        expect(answer.errors?.[0]?.message).toMatch(new RegExp(`^provider ${kind}-test listed an? (VM|object) whose id is no (OnApp|BILLmanager) id \\(an integer\\)`));
        expect(harness.simulator(kind).server.log.filter((request) => request.method === 'DELETE' || request.form.func === 'image.delete')).toEqual([]);
      } finally {
        restore();
      }
    });
  });
}

deleteCase('onapp', (harness, id) => {
  const simulator = harness.simulator('onapp').simulator as OnappSimulator;
  const [key, backup] = [...simulator.backups].find(([, row]) => row.builtAt === 0)!;
  const before = backup.id;
  backup.id = id as unknown as number;
  return () => {
    backup.id = before;
    simulator.backups.set(key, backup);
  };
});

deleteCase('zomro', (harness, id) => {
  const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  const [key, backup] = [...simulator.backups].find(([, row]) => row.protected === 'off')!;
  simulator.backups.delete(key);
  simulator.backups.set(id, { ...backup, id });
  return () => {
    simulator.backups.delete(id);
    simulator.backups.set(key, backup);
  };
});
