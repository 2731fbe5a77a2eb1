import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_KINDS, PROVIDER_MODULES, type ProviderKind } from '../../src/providers/registry.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

const KINDS = PROVIDER_KINDS;

/**
 * The state words each simulator seeds and the status each maps to. OnApp has
 * no single state word (the status comes from several flags): only its statuses.
 */
const SEEDED_STATES: Record<ProviderKind, { pairs: string[] } | { statuses: string[] }> = {
  zomro: { pairs: ['active -> RUNNING', 'stopped -> STOPPED'] },
  onapp: { statuses: ['RUNNING', 'STOPPED'] },
  zstack: { pairs: ['Running -> RUNNING', 'Stopped -> STOPPED'] },
  danube: { pairs: ['running -> RUNNING', 'stopped -> STOPPED'] },
};

interface BackupNode {
  createdAt: string | null;
  provider: { id: string };
}

/** Dates descending, dateless last: what the schema promises of every backup list. */
function expectNewestFirst(backups: BackupNode[], where: string): void {
  const times = backups.map((backup) => (backup.createdAt === null ? null : Date.parse(backup.createdAt)));
  const firstNull = times.indexOf(null);
  if (firstNull >= 0) expect(times.slice(firstNull).every((time) => time === null), `${where}: a dated backup after a dateless one`).toBe(true);
  const dated = times.filter((time): time is number => time !== null);
  expect(dated, `${where}: newest first`).toEqual([...dated].sort((a, b) => b - a));
}

describe('promises the schema makes, kept on every provider', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: KINDS });
  });
  afterAll(() => harness.close());

  it('lists backups newest first within each provider, in the connection and in each Instance.backups', async () => {
    const answer = await harness.gql<{
      backups: { edges: Array<{ node: BackupNode }> };
      instances: { edges: Array<{ node: { name: string; provider: { id: string }; backups: BackupNode[] } }> };
    }>(`{
      backups(first: 1000) { edges { node { createdAt provider { id } } } }
      instances(first: 500) { edges { node { name provider { id } backups { createdAt provider { id } } } } }
    }`);
    expect(answer.errors).toBeUndefined();
    const all = answer.data!.backups.edges.map((edge) => edge.node);
    for (const kind of KINDS) {
      const ofProvider = all.filter((backup) => backup.provider.id === harness.providerId(kind));
      expect(ofProvider.length, kind).toBeGreaterThan(2);
      expectNewestFirst(ofProvider, `backups of ${kind}`);
    }
    let multi = 0;
    for (const { node } of answer.data!.instances.edges) {
      if (node.backups.length > 1) multi++;
      expectNewestFirst(node.backups, `${node.provider.id} ${node.name}`);
    }
    expect(multi).toBeGreaterThan(4);
  });

  it('gives each instance a status in the same words for every provider, beside the raw state', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { state: string | null; status: string; provider: { id: string; kind: string } } }> } }>(
      '{ instances(first: 500) { edges { node { state status provider { id kind } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    const pairs = new Map<string, Set<string>>();
    for (const { node } of answer.data!.instances.edges) {
      const key = node.provider.kind;
      const seen = pairs.get(key) ?? new Set<string>();
      seen.add(`${node.state} -> ${node.status}`);
      pairs.set(key, seen);
    }
    // The simulators' words, each provider's own: the raw word stays in `state`.
    for (const kind of KINDS) {
      const seen = [...(pairs.get(kind.toUpperCase()) ?? [])];
      const words = SEEDED_STATES[kind];
      if ('pairs' in words) expect(seen.sort(), kind).toEqual(words.pairs);
      else expect(new Set(seen.map((pair) => pair.split(' -> ')[1])), kind).toEqual(new Set(words.statuses));
    }
  });

  it('keeps createBackup.name: the backup name where the provider takes one (NAME_BACKUP), else its note (Danube)', async () => {
    const providers = await harness.gql<{ providers: Array<{ id: string; capabilities: string[] }> }>('{ providers { id capabilities } }');
    const names = new Map(providers.data!.providers.map((provider) => [provider.id, provider.capabilities.includes('NAME_BACKUP')]));
    // Each account says what its module declares (Zomro and ZStack name backups; OnApp and Danube do not).
    expect(KINDS.map((kind) => names.get(harness.providerId(kind)))).toEqual(KINDS.map((kind) => PROVIDER_MODULES[kind].capabilities.has('NAME_BACKUP')));
    expect(new Set(names.values())).toEqual(new Set([true, false]));

    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string }; definitions: Array<{ name: string }> } }> } }>(
      '{ instances(first: 500) { edges { node { id provider { id } definitions { name } } } } }',
    );
    for (const kind of KINDS) {
      const providerId = harness.providerId(kind);
      const instance = listed.data!.instances.edges.map((edge) => edge.node).filter((node) => node.provider.id === providerId && (kind !== 'danube' || node.definitions.length > 0))[1]!;
      const name = `kept-${kind}`;
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
        input: { instanceId: instance.id, name, ...(kind === 'danube' ? { definitionName: instance.definitions[0]!.name } : {}) },
      });
      expect(created.errors, kind).toBeUndefined();
      // OnApp's create is documented without a body and has no way to set a note: the name is dropped, as the schema says.
      if (kind === 'onapp') continue;
      const backups = await eventually(
        async () => (await harness.gql<{ instance: { backups: Array<{ name: string; note: string | null }> } }>('query($id: ID!) { instance(id: $id) { backups { name note } } }', { id: instance.id })).data?.instance.backups ?? [],
        (list) => list.some((backup) => backup.name === name || backup.note === name),
      );
      const kept = backups.find((backup) => backup.name === name || backup.note === name)!;
      if (names.get(providerId)) expect(kept.name, kind).toBe(name);
      else expect(kept.note, kind).toBe(name);
    }
  });
});
