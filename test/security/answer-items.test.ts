import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, eventually, type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const MAX_COST = 3_000;
const BACKUPS = 10;

/** Backup -> its instance -> that instance's backups, four times: each level multiplies the answer by the backups an instance has. */
const FAN_OUT = 'query($id: ID!) { instance(id: $id) { backups { instance { backups { instance { backups { instance { backups { id } } } } } } } } }';

/**
 * The cost rule prices a list without `first` (an instance's backups) at 5 items: a fair guess
 * for a page, and nothing a provider holds to. Lists that lead back to their parent (a backup's
 * instance, whose backups hold the backup again) multiply at each level: with 30 backups an
 * instance, four levels are 810,000 items for 625 priced, and 500 instances of them an answer of
 * gigabytes from one viewer's request within every limit. The items the answer's lists hold are
 * counted as they resolve, against `limits.maxCost` too.
 */
describe('the items an answer\'s lists hold are counted as they resolve, against limits.maxCost', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxCost: MAX_COST }) });
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { id backups { id } } } } }');
    const instance = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.backups.length > 0)!;
    instanceId = instance.id;
    for (let made = instance.backups.length; made < BACKUPS; made++) {
      const created = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId, name: `fan-${made}` } });
      expect(created.errors).toBeUndefined();
    }
    await eventually(
      () => harness.gql<{ instance: { backups: unknown[] } }>('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: instanceId }),
      (answer) => answer.data?.instance.backups.length === BACKUPS,
    );
  });
  afterAll(() => harness.close());

  it('refuses over HTTP a query priced within the limit whose lists hold more (it answered 10^4 = 10,000 ids)', async () => {
    const answer = await harness.gql(FAN_OUT, { id: instanceId });
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toContain(`more than ${MAX_COST} items`);
    expect(answer.errors?.[0]?.message).toContain('limits.maxCost');
    expect(answer.data ?? null).toBeNull();
    expect(answer.text.length).toBeLessThan(1_000);
  });

  it('refuses it over WebSocket alike', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, FAN_OUT, { id: instanceId });
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(answer.data ?? null).toBeNull();
    } finally {
      await client.dispose();
    }
  });

  it('answers the same lists within the limit, and counts each request afresh', async () => {
    // 10 + 100 + 1,000 items.
    const within = 'query($id: ID!) { instance(id: $id) { backups { instance { backups { instance { backups { id } } } } } } }';
    for (let round = 0; round < 3; round++) {
      const answer = await harness.gql<{ instance: { backups: Array<{ instance: { backups: Array<{ instance: { backups: unknown[] } }> } }> } }>(within, { id: instanceId });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.instance.backups).toHaveLength(BACKUPS);
      expect(answer.data!.instance.backups[0]!.instance.backups[0]!.instance.backups).toHaveLength(BACKUPS);
    }
  });

  it('refuses a subscription\'s update whose lists hold more, and counts each update afresh', async () => {
    // Last: the delete leaves the instance 9 backups, 6,561 items four levels deep.
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', {
      input: { backupId: (await harness.gql<{ instance: { backups: Array<{ id: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: instanceId })).data!.instance.backups[0]!.id },
    });
    const operationId = deleted.data!.deleteBackup.operation.id;
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const updates: Array<{ data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }> = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe(
          { query: 'subscription($id: ID!) { operationUpdated(id: $id) { instance { backups { instance { backups { instance { backups { instance { backups { id } } } } } } } } } }', variables: { id: operationId } },
          { next: (value) => void updates.push(value as (typeof updates)[number]), error: (error: unknown) => reject(new Error(JSON.stringify(error))), complete: resolve },
        );
      });
      expect(updates.length).toBeGreaterThan(0);
      for (const update of updates) {
        expect(update.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
        expect(update.data ?? null).toBeNull();
      }
    } finally {
      await client.dispose();
    }
  });
});
