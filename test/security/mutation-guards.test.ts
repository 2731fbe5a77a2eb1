import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import type { Capability } from '../../src/domain/types.js';
import { PROVIDER_KINDS, PROVIDER_MODULES } from '../../src/providers/registry.js';
import { errorCodes, type Harness, startHarness, withClients } from '../helpers/harness.js';
import { EVERY_MUTATION, type MutationTargets } from '../helpers/mutations.js';

const KINDS = PROVIDER_KINDS;
const KEYS = { viewer: 'viewer-key-0123456789abcdef', operator: 'operator-key-0123456789abcdef', admin: 'admin-key-0123456789abcdef' };

interface Listed {
  providers: Array<{ id: string; capabilities: Capability[] }>;
  instances: { edges: Array<{ node: { id: string; nativeId: string; provider: { id: string }; backups: Array<{ id: string }> | null } }> };
}

/**
 * Every mutation checks the caller's role, then the account's capability,
 * before any upstream request: tested for each mutation and each provider,
 * with real ids (so a check moved after the first read would show as an
 * upstream call).
 */
describe('mutation guards: roles and capabilities before any upstream call', () => {
  let harness: Harness;
  const targets = new Map<string, MutationTargets>();
  const capabilities = new Map<string, Capability[]>();

  beforeAll(async () => {
    harness = await startHarness({
      kinds: KINDS,
      configure: withClients([
        { name: 'dashboard', key: KEYS.viewer, roles: ['viewer'] },
        { name: 'automation', key: KEYS.operator, roles: ['operator'] },
        { name: 'ops', key: KEYS.admin, roles: ['admin'] },
      ]),
    });
    const listed = await harness.gql<Listed>('{ providers { id capabilities } instances(first: 1000) { edges { node { id nativeId provider { id } backups { id } } } } }', {}, { key: KEYS.admin });
    expect(listed.errors).toBeUndefined();
    for (const provider of listed.data!.providers) {
      capabilities.set(provider.id, provider.capabilities);
      const node = listed.data!.instances.edges.map((edge) => edge.node).find((item) => item.provider.id === provider.id && (item.backups?.length ?? 0) > 0);
      expect(node, `${provider.id} seeds an instance with a backup`).toBeDefined();
      targets.set(provider.id, {
        providerId: provider.id,
        instanceId: node!.id,
        backupId: node!.backups![0]!.id,
        // Well-formed ids of objects on a real instance: reading them would cost an upstream call.
        scheduleId: encodeId('BackupSchedule', provider.id, [node!.nativeId, '4242']),
        definitionId: encodeId('BackupDefinition', provider.id, [node!.nativeId, 'guarded']),
        operationId: encodeId('Operation', provider.id, ['CREATE_BACKUP', '0', node!.nativeId, '', 'guarded-task']),
      });
    }
    expect(targets.size).toBe(KINDS.length);
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  for (const mutation of EVERY_MUTATION) {
    it(`${mutation.name}: FORBIDDEN for a viewer${mutation.role === 'admin' ? ' and an operator' : ''}, before any upstream call`, async () => {
      const refused = mutation.role === 'admin' ? [KEYS.viewer, KEYS.operator] : [KEYS.viewer];
      for (const target of targets.values()) {
        for (const key of refused) {
          const { query, variables } = mutation.build(target);
          const answer = await harness.gql(query, variables, { key });
          expect(errorCodes(answer), `${mutation.name} on ${target.providerId}`).toEqual(['FORBIDDEN']);
        }
      }
      expect(harness.upstreamCount()).toBe(0);
    });

    it(`${mutation.name}: the role that may call it gets past the role check`, async () => {
      const target = [...targets.values()].find((item) => capabilities.get(item.providerId)!.includes(mutation.capability))!;
      const { query, variables } = mutation.build(target);
      const answer = await harness.gql(query, variables, { key: mutation.role === 'admin' ? KEYS.admin : KEYS.operator });
      expect(errorCodes(answer)).not.toContain('FORBIDDEN');
      expect(errorCodes(answer)).not.toContain('UNSUPPORTED');
    });
  }

  it('BAD_USER_INPUT for every input field it checks, before any upstream call (some were checked after reading the instance)', async () => {
    const mutations: Array<{ capability: Capability; query: string; input: (target: MutationTargets) => Record<string, unknown>; field: string }> = [
      { capability: 'CREATE_BACKUP', field: 'note', query: 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', input: (target) => ({ instanceId: target.instanceId, name: 'n', note: 'a\u0000b' }) },
      { capability: 'CREATE_SCHEDULE', field: 'name', query: 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }', input: (target) => ({ instanceId: target.instanceId, name: '   ', weekdays: ['MONDAY'], time: '03:00' }) },
      ...(['node', 'zpool'] as const).map((field) => ({
        capability: 'CREATE_DEFINITION' as const,
        field,
        query: 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }',
        input: (target: MutationTargets) => ({ instanceId: target.instanceId, name: 'daily', cron: '0 4 * * *', retention: 7, node: 'node1', [field]: ' ' }),
      })),
      { capability: 'CREATE_DEFINITION', field: 'bandwidthLimit', query: 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }', input: (target) => ({ instanceId: target.instanceId, name: 'daily', cron: '0 4 * * *', retention: 7, node: 'node1', bandwidthLimit: -1 }) },
      { capability: 'CREATE_DEFINITION', field: 'description', query: 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }', input: (target) => ({ instanceId: target.instanceId, name: 'daily', cron: '0 4 * * *', retention: 7, node: 'node1', description: 'a\u0001b' }) },
      { capability: 'UPDATE_DEFINITION', field: 'description', query: 'mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }', input: (target) => ({ definitionId: target.definitionId, description: 'a\u0001b' }) },
    ];
    let refusals = 0;
    for (const mutation of mutations) {
      for (const target of [...targets.values()].filter((item) => capabilities.get(item.providerId)!.includes(mutation.capability))) {
        harness.resetUpstreamLogs();
        const answer = await harness.gql(mutation.query, { input: mutation.input(target) }, { key: KEYS.admin });
        const where = `${mutation.capability} ${mutation.field} on ${target.providerId}`;
        expect(errorCodes(answer), where).toEqual(['BAD_USER_INPUT']);
        expect(answer.errors?.[0]?.message, where).toContain(mutation.field);
        expect(harness.upstreamCount(), `${where} called upstream`).toBe(0);
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThanOrEqual(mutations.length);
  });

  it('UNSUPPORTED, naming the capability, for every mutation an account lacks, before any upstream call', async () => {
    let refusals = 0;
    for (const target of targets.values()) {
      for (const mutation of EVERY_MUTATION.filter((item) => !capabilities.get(target.providerId)!.includes(item.capability))) {
        harness.resetUpstreamLogs();
        const { query, variables } = mutation.build(target);
        const answer = await harness.gql(query, variables, { key: KEYS.admin });
        expect(errorCodes(answer), `${mutation.name} on ${target.providerId}`).toEqual(['UNSUPPORTED']);
        expect(answer.errors?.[0]?.extensions).toMatchObject({ capability: mutation.capability, provider: target.providerId });
        expect(harness.upstreamCount(), `${mutation.name} on ${target.providerId} called upstream`).toBe(0);
        refusals++;
      }
    }
    // One refusal per mutation capability a module does not declare (22 for the first four kinds).
    const lacking = KINDS.flatMap((kind) => EVERY_MUTATION.filter((mutation) => !PROVIDER_MODULES[kind].capabilities.has(mutation.capability)));
    expect(lacking.length).toBeGreaterThan(0);
    expect(refusals).toBe(lacking.length);
  });
});
