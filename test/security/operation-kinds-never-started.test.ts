import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationKind } from '../../src/domain/types.js';
import { operationId } from '../../src/gateway/ids.js';
import { PROVIDER_KINDS, PROVIDER_MODULES, type ProviderKind } from '../../src/providers/registry.js';
import { dashboardNodes } from '../helpers/dashboard.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { toldOf, UNVOUCHED } from '../helpers/operation-told.js';
import { mutate, type Started } from '../helpers/started-by-mutation.js';
import { recordedAsStarted } from '../helpers/started-record.js';

/**
 * An operation id is the client's to write, its kind too. One of a kind its provider never starts
 * (a sync at Zomro, OnApp or Danube, none of which has one) names nothing, and is NOT_FOUND before
 * any provider call, every way it is read or cancelled. Written around a create the gateway
 * started, it was read as one of the kinds the adapter has: Zomro and OnApp told the created
 * backup's status as the sync's, Danube the create task's. The forged id is even recorded as
 * started here (as no mutation would): what refuses it is the provider's capabilities, not the record.
 */

const KINDS: readonly OperationKind[] = ['CREATE_BACKUP', 'DELETE_BACKUP', 'RESTORE_BACKUP', 'SYNC_BACKUPS'];
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';

/** Every provider kind with the operation kinds its module never starts. */
const lacking = PROVIDER_KINDS.map((kind) => ({ kind, never: KINDS.filter((operation) => !PROVIDER_MODULES[kind].capabilities.has(operation)) })).filter(({ never }) => never.length > 0);

it('the providers that never start some kind of operation are the ones this test covers', () => {
  expect(lacking).toEqual([
    { kind: 'zomro', never: ['SYNC_BACKUPS'] },
    { kind: 'onapp', never: ['SYNC_BACKUPS'] },
    { kind: 'danube', never: ['SYNC_BACKUPS'] },
  ]);
});

/** A create the gateway starts, still running, whose id the forgeries are written around. */
async function startedCreate(harness: Harness, kind: ProviderKind): Promise<Started> {
  const nodes = await dashboardNodes(harness);
  // Danube creates run a definition's next backup.
  const node = kind === 'danube' ? nodes.find((each) => each.definitions.some((definition) => definition.name === 'daily')) : nodes[0];
  if (!node) throw new Error(`the ${kind} simulator shows no VM to create a backup of`);
  return mutate(harness, CREATE, { instanceId: node.id, name: 'made-first', ...(kind === 'danube' ? { definitionName: 'daily' } : {}) });
}

describe.each(lacking)('$kind: an operation id of a kind it never starts ($never)', ({ kind, never }) => {
  let harness: Harness;
  let forgeries: Array<{ operation: OperationKind; id: string }>;
  const store = new NamedMemoryStore();

  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    // Creates run until the test ends: the create's own reads answer RUNNING.
    (harness.simulator(kind).simulator as { asyncDelayMs: number }).asyncDelayMs = 600_000;
    const created = await startedCreate(harness, kind);
    forgeries = [];
    for (const operation of never) forgeries.push({ operation, id: await recordedAsStarted(store, operationId({ ...created.ref, kind: operation })) });
  });
  afterAll(() => harness.close());

  it('operation and operationUpdated: NOT_FOUND, node: null, nothing asked of the provider', async () => {
    for (const { id } of forgeries) {
      const before = harness.upstreamCount(kind);
      expect(await toldOf(harness, id)).toEqual(UNVOUCHED);
      expect(harness.upstreamCount(kind) - before).toBe(0);
    }
  });

  it('cancelOperation: NOT_FOUND, nothing asked of the provider', async () => {
    for (const { id } of forgeries) {
      const before = harness.upstreamCount(kind);
      expect(errorCodes(await harness.gql(CANCEL, { id }))).toEqual(['NOT_FOUND']);
      expect(harness.upstreamCount(kind) - before).toBe(0);
    }
  });
});
