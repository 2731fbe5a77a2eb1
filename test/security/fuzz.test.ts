import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';
import { encodeId } from '../../src/domain/ids.js';
import { simulatedKinds } from '../../src/providers/registry.js';
import { startHarness, type GraphQLAnswer, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun, type WsAnswer } from '../helpers/ws.js';

const ALLOWED = new Set<string>(ERROR_CODES.filter((code) => code !== 'INTERNAL_SERVER_ERROR'));

/** Strings that break naive code: unicode, control characters, path tricks, huge. */
const nasty = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('..', '../..', '/etc/passwd', 'a/../../b', '%2e%2e%2f', 'web01.example.com/../x', '\u0000', '\n\r', '😀', 'x'.repeat(100_000), '', ' ', '*/5 * * * *', '99 99 99 99 99', '0 0 * * * *'),
  fc.string({ unit: fc.constantFrom('.', '/', '%', '\\', '?', '#', '&', '=', 'a', '1', ' '), maxLength: 40 }),
);

describe('bad input never crashes the gateway nor leaves the provider API', () => {
  const kinds = simulatedKinds();
  let harness: Harness;
  let instanceIds: string[];

  beforeAll(async () => {
    harness = await startHarness({ kinds });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    instanceIds = answer.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());

  const check = (answer: GraphQLAnswer<unknown>) => {
    expect(answer.status).toBeLessThan(500);
    for (const error of answer.errors ?? []) expect(ALLOWED.has(String(error.extensions?.code))).toBe(true);
    expect(answer.text).not.toMatch(/\n\s+at .+:\d+:\d+/);
  };

  it('ids built from nasty native keys, and raw garbage ids', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...kinds), fc.constantFrom('Instance', 'Backup', 'BackupSchedule', 'BackupDefinition', 'Operation') as fc.Arbitrary<'Instance'>, fc.array(nasty, { minLength: 1, maxLength: 5 }), nasty, async (kind, type, keys, raw) => {
        const forged = encodeId(type, harness.providerId(kind), keys);
        check(await harness.gql('query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }', { a: forged, b: raw }));
        check(await harness.gql('query($id: ID!) { operation(id: $id) { status } }', { id: forged }));
      }),
      { numRuns: 60 },
    );
  });

  it('names, crons, times and notes on mutations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...instanceIds), nasty, nasty, nasty, async (instanceId, name, cron, time) => {
        check(await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId, name, definitionName: name, note: cron } }));
        check(await harness.gql('mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }', { input: { instanceId, name, weekdays: ['MONDAY'], time } }));
        check(await harness.gql('mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }', { input: { instanceId, name, cron, retention: 3 } }));
      }),
      { numRuns: 40 },
    );
  });

  it('the same over WebSocket: ids, variables of any shape, subscriptions on forged operations', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    const checkWs = (answer: WsAnswer) => {
      for (const error of answer.errors ?? []) expect(ALLOWED.has(String(error.extensions?.code)), JSON.stringify(error)).toBe(true);
      expect(JSON.stringify(answer)).not.toMatch(/\n\s+at .+:\d+:\d+/);
    };
    const anyValue = fc.oneof(nasty, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.dictionary(nasty, nasty, { maxKeys: 3 }), fc.array(nasty, { maxLength: 3 }));
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...kinds), fc.array(nasty, { minLength: 1, maxLength: 5 }), nasty, anyValue, async (kind, keys, raw, value) => {
          const forged = encodeId('Operation', harness.providerId(kind), keys);
          checkWs(await wsRun(client, 'query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } }', { a: forged, b: raw }));
          checkWs(await wsRun(client, 'query($f: BackupFilter, $k: ProviderKind) { backups(filter: $f) { totalCount } instances(kind: $k) { totalCount } }', { f: value, k: value }));
          checkWs(await wsRun(client, 'subscription($id: ID!) { operationUpdated(id: $id) { status } }', { id: raw }));
          checkWs(await wsRun(client, raw));
        }),
        { numRuns: 40 },
      );
    } finally {
      await client.dispose();
    }
  });

  it('sent every upstream request inside the provider API: no dot segments, nothing decoded into a new path', () => {
    for (const simulator of harness.simulators.values()) {
      for (const request of simulator.server.log) {
        const segments = request.rawPath.split('/').map((segment) => {
          try {
            return decodeURIComponent(segment);
          } catch {
            return segment;
          }
        });
        expect(segments.some((segment) => segment === '..' || segment === '.' || segment.includes('/'))).toBe(false);
        expect(new URL(request.rawPath, 'http://x').pathname).toBe(request.rawPath);
      }
    }
  });
});
