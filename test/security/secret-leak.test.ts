import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulatedKinds } from '../../src/providers/registry.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { readThrough } from '../../src/upstream/escaped-secrets.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Instance { id name backups { id name note } } ... on Backup { id name note raw } ... on Operation { id status error } } }';
const OPERATION_UPDATES = 'subscription($id: ID!) { operationUpdated(id: $id) { id status error } }';

/** Every credential string in the config, to look for in answers and logs. */
function credentialsOf(harness: Harness): string[] {
  return harness.config.providers.flatMap((provider) => Object.values(provider.auth as Record<string, unknown>).filter((value): value is string => typeof value === 'string' && value.length >= 6));
}

describe('credentials never leave the gateway', () => {
  let harness: Harness;
  const answers: string[] = [];
  /** Answers while every simulator quotes credentials behind nested escapes. */
  const nested: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({ kinds: simulatedKinds() });
    const run = async (query: string, variables: Record<string, unknown> = {}) => answers.push((await harness.gql(query, variables)).text);
    await run(DASHBOARD_QUERY);
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> | null } }> } }>('{ instances { edges { node { id backups { id } } } } }');
    const operations: string[] = [];
    for (const edge of list.data!.instances.edges.slice(0, 8)) {
      const created = await harness.gql<{ createBackup: { operation: { id: string } | null } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status error } } }', { input: { instanceId: edge.node.id, name: 'leak-check', definitionName: 'daily' } });
      answers.push(created.text);
      if (created.data?.createBackup.operation) operations.push(created.data.createBackup.operation.id);
      const backup = edge.node.backups?.[0];
      if (backup) await run('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
    }
    for (const simulator of harness.simulators.values()) {
      for (const mode of ['http-500', 'malformed-json', 'html-error', 'echo', 'down'] as const) {
        await simulator.server.setFault(mode);
        await run(DASHBOARD_QUERY);
      }
      await simulator.server.clearFault();
    }
    for (const simulator of harness.simulators.values()) await simulator.server.setFault({ mode: 'echo', nestedEscapes: true });
    nested.push((await harness.gql(DASHBOARD_QUERY)).text);
    // The same echoes through federation's _entities and over WebSocket: a query, and the polls of subscriptions.
    const representations = [
      ...list.data!.instances.edges.map((edge) => ({ __typename: 'Instance', id: edge.node.id })),
      ...list.data!.instances.edges.flatMap((edge) => edge.node.backups ?? []).slice(0, 8).map((backup) => ({ __typename: 'Backup', id: backup.id })),
      ...operations.map((id) => ({ __typename: 'Operation', id })),
    ];
    nested.push((await harness.gql(ENTITIES, { r: representations })).text);
    const ws = wsClient(harness.gateway.graphqlUrl);
    const overWs = await Promise.all([wsRun(ws, DASHBOARD_QUERY), wsRun(ws, ENTITIES, { r: representations }), ...operations.map((id) => wsRun(ws, OPERATION_UPDATES, { id }))]);
    await ws.dispose();
    nested.push(...overWs.map((answer) => JSON.stringify(answer)));
    for (const simulator of harness.simulators.values()) await simulator.server.clearFault();
    answers.push(...nested);
    await run('{ node(id: "garbage") { id } }');
  });
  afterAll(() => harness.close());

  it('in no answer and no log line', () => {
    const secrets = credentialsOf(harness);
    expect(secrets.length).toBeGreaterThanOrEqual(harness.simulators.size);
    expect(harness.logs.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      for (const answer of answers) expect(answer).not.toContain(secret);
      for (const line of harness.logs) expect(line).not.toContain(secret);
    }
  });

  it('nor behind escapes: no answer or log line, read through its escapes, holds one (an echo quoting them behind nested escapes)', () => {
    for (const secret of credentialsOf(harness)) {
      for (const answer of answers) expect(readThrough(answer), `an answer holds ${secret}`).not.toContain(secret);
      for (const line of harness.logs) expect(readThrough(line), `a log line holds ${secret}`).not.toContain(secret);
    }
    // Each provider's echo arrived, its quotes redacted: over HTTP, through _entities, and over WebSocket (each subscription's poll too).
    for (const answer of nested) expect(answer).toContain('[redacted]');
    expect(nested[0]!.match(/\[redacted\]/g)?.length ?? 0).toBeGreaterThanOrEqual(harness.simulators.size);
  });

  it('and no provider URL in an answer', () => {
    for (const simulator of harness.simulators.values()) {
      const { host } = new URL(simulator.url);
      for (const answer of answers) expect(answer).not.toContain(host);
    }
  });
});
