import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> | null; definitions: Array<{ id: string; name: string }> | null } }> };
}
const LIST = '{ instances(first: 100) { edges { node { nativeId backups { id nativeId } definitions { id name } } } } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }';
const DELETE_DEFINITION = 'mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }';

/**
 * Danube's backup and definition names go into the paths of their writes (`/vm/{vm}/backup/{name}`,
 * `/vm/{vm}/define/backup/{name}`). One Danube listed as `..` or holding `/`, `?`, `#` or `\` was refused
 * by the upstream guard as the client's BAD_USER_INPUT "an id contains a path segment that is not
 * allowed", for a name the gateway handed out: it is the provider's INVALID_RESPONSE, nothing sent.
 */
const HOSTILE: Array<[string, string]> = [
  ['".."', '..'],
  ['"/" and ".."', 'daily/../x'],
  ['"?"', 'daily?force=1'],
  ['"#"', 'daily#x'],
  ['"\\"', 'daily\\..'],
];

describe('danube: a listed backup or definition whose name cannot go into a URL', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(() => harness.close());

  const writes = () => harness.simulator('danube').server.log.filter((request) => request.method !== 'GET' && !request.rawPath.endsWith('/accounts/login/'));

  it.each(HOSTILE)("a backup's delete is the provider's INVALID_RESPONSE, nothing sent (%s)", async (_what, name) => {
    const planted = simulator.backups[0]!;
    const before = planted.name;
    planted.name = name;
    try {
      const listed = await harness.gql<Listed>(LIST);
      const backup = listed.data!.instances.edges.flatMap((edge) => edge.node.backups ?? []).find((row) => row.nativeId === name)!;
      harness.resetUpstreamLogs();
      const answer = await harness.gql(DELETE_BACKUP, { input: { backupId: backup.id } });
      expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      expect(answer.errors?.[0]?.message).toMatch(/^provider danube-test listed a name that cannot be used in a URL/);
      expect(writes()).toEqual([]);
    } finally {
      planted.name = before;
    }
  });

  it.each(HOSTILE)("a definition's delete is the provider's INVALID_RESPONSE, nothing sent (%s)", async (_what, name) => {
    const planted = simulator.definitions[0]!;
    const before = planted.name;
    planted.name = name;
    try {
      const listed = await harness.gql<Listed>(LIST);
      const definition = listed.data!.instances.edges.flatMap((edge) => edge.node.definitions ?? []).find((row) => row.name === name)!;
      harness.resetUpstreamLogs();
      const answer = await harness.gql(DELETE_DEFINITION, { input: { definitionId: definition.id } });
      expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      expect(answer.errors?.[0]?.message).toMatch(/^provider danube-test listed a name that cannot be used in a URL/);
      expect(writes()).toEqual([]);
    } finally {
      planted.name = before;
    }
  });

  // Held: encoding keeps an escape as text (`%25`), so Danube is asked for the name as listed, one segment.
  // esdc-ce's url pattern for a backup name is [A-Za-z0-9._-]+, so no Danube lists such a name, and one
  // asked for it matches no route: Django's 404 "Resource not found", read as the backup not found.
  it('sends a name holding "%2F" encoded, as one segment', async () => {
    const planted = simulator.backups[0]!;
    const before = planted.name;
    planted.name = 'daily%2F..%2Fx';
    try {
      const listed = await harness.gql<Listed>(LIST);
      const backup = listed.data!.instances.edges.flatMap((edge) => edge.node.backups ?? []).find((row) => row.nativeId === planted.name)!;
      harness.resetUpstreamLogs();
      const answer = await harness.gql(DELETE_BACKUP, { input: { backupId: backup.id } });
      expect(answer.errors?.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([['NOT_FOUND', 'HTTP_404']]);
      expect(writes().map((request) => `${request.method} ${request.rawPath}`)).toEqual([expect.stringMatching(/^DELETE \/api\/vm\/[^/]+\/backup\/daily%252F\.\.%252Fx\/$/)]);
    } finally {
      planted.name = before;
    }
  });
});
