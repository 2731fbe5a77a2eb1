import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withAccountCopy, withLimits, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

const KiB = 1024;
const MiB = 1024 * KiB;
/** A backup note a provider may hold: its users write them (OnApp's, Danube's), and a hostile one writes what it likes. */
const NOTE = 'n'.repeat(256 * KiB);
/** A note JSON writes six bytes a character (\u0001): 128 KiB of characters, 768 KiB of answer. */
const CONTROL_NOTE = '\u0001'.repeat(128 * KiB);
/** VM 1 has one backup with that note; VM 2 has six; VM 3 one with CONTROL_NOTE. */
const BACKUPS: Record<string, number> = { '1': 1, '2': 6, '3': 1 };

type Listed = { instances: { edges: Array<{ node: { id: string; name: string } }> } };
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Instance { backups { note } } } }';
const tooLarge = (text: string): void => expect(text).toContain('limits.maxAnswerBytes');

/**
 * An answer's values are references to what was read, so one note or `raw` record can stand in it
 * any number of times: `_entities` naming one instance again and again, aliases, or a backup's
 * instance's backups. Every other limit counts reads, calls or objects: a 30 KB request naming one
 * instance 300 times, whose one backup had a 1 MiB note, was answered 300 MiB (24 s, the test
 * process's RSS from 478 to 1,260 MiB) from one upstream read. `limits.maxAnswerBytes` bounds such
 * an answer before any of its text is made.
 */
describe('an answer that repeats what was read is bounded before it is written (limits.maxAnswerBytes)', () => {
  let harness: Harness;
  let front: Server;
  let vm1: string;
  let vm2: string;
  let vm3: string;

  beforeAll(async () => {
    front = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const url = req.url ?? '';
      const vm = (id: string) => ({ virtual_machine: { id: Number(id), label: `vm${id}`, booted: true } });
      if (url.startsWith('/virtual_machines.json')) return void res.end(JSON.stringify(Object.keys(BACKUPS).map(vm)));
      const backups = /^\/virtual_machines\/(\d+)\/backups\.json/.exec(url)?.[1];
      if (backups !== undefined) {
        const count = BACKUPS[backups] ?? 0;
        return void res.end(JSON.stringify(Array.from({ length: count }, (_, index) => ({ backup: { id: Number(backups) * 100 + index, virtual_machine_id: Number(backups), built: true, created_at: '2026-01-01T00:00:00Z', note: backups === '3' ? CONTROL_NOTE : NOTE, backup_type: 'normal' } }))));
      }
      const one = /^\/virtual_machines\/(\d+)\.json/.exec(url)?.[1];
      if (one !== undefined && BACKUPS[one] !== undefined) return void res.end(JSON.stringify(vm(one)));
      res.end('[]');
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [withLimits({ maxAnswerBytes: MiB }), withAccountCopy('onapp', { id: 'onapp-notes', url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, retries: 0 })],
    });
    const listed = await harness.gql<Listed>('{ instances(providerId: "onapp-notes") { edges { node { id name } } } }');
    const byName = new Map(listed.data!.instances.edges.map((edge) => [edge.node.name, edge.node.id]));
    vm1 = byName.get('vm1')!;
    vm2 = byName.get('vm2')!;
    vm3 = byName.get('vm3')!;
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  it('refuses over HTTP _entities naming one instance ten times (2.5 MiB of one 256 KiB note)', async () => {
    const answer = await harness.gql(ENTITIES, { r: Array.from({ length: 10 }, () => ({ __typename: 'Instance', id: vm1 })) });
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    tooLarge(answer.text);
    expect(answer.data ?? null).toBeNull();
    expect(answer.text.length).toBeLessThan(2_000);
  });

  it('refuses over HTTP aliases of one instance (5 x 256 KiB)', async () => {
    const aliases = Array.from({ length: 5 }, (_, index) => `a${index}: instance(id: $id) { backups { note } }`).join(' ');
    const answer = await harness.gql(`query($id: ID!) { ${aliases} }`, { id: vm1 });
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    tooLarge(answer.text);
    expect(answer.text.length).toBeLessThan(2_000);
  });

  it("refuses over HTTP a backup's instance's backups (6 x 6 notes of 256 KiB, without an alias)", async () => {
    const answer = await harness.gql('query($id: ID!) { instance(id: $id) { backups { instance { backups { note } } } } }', { id: vm2 });
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    tooLarge(answer.text);
    expect(answer.text.length).toBeLessThan(2_000);
  });

  it('counts the bytes JSON writes, not characters: _entities naming twice an instance whose note is 128 Ki control characters (1.5 MiB)', async () => {
    const answer = await harness.gql(ENTITIES, { r: [vm3, vm3].map((id) => ({ __typename: 'Instance', id })) });
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    tooLarge(answer.text);
    expect(answer.text.length).toBeLessThan(2_000);
  });

  it('refuses it over WebSocket alike', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const answer = await wsRun(client, ENTITIES, { r: Array.from({ length: 10 }, () => ({ __typename: 'Instance', id: vm1 })) });
      expect(answer.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(answer.errors?.[0]?.message).toContain('limits.maxAnswerBytes');
      expect(answer.data ?? null).toBeNull();
    } finally {
      await client.dispose();
    }
  });

  it('guard: answers the same within the limit, and a query that repeats nothing whatever its size', async () => {
    const twice = await harness.gql<{ _entities: Array<{ backups: Array<{ note: string }> }> }>(ENTITIES, { r: [{ __typename: 'Instance', id: vm1 }, { __typename: 'Instance', id: vm1 }] });
    expect(twice.errors).toBeUndefined();
    expect(twice.data?._entities.map((entity) => entity.backups[0]?.note.length)).toEqual([NOTE.length, NOTE.length]);
    // 1.5 MiB, past the limit: each note once, as read (the upstream budget bounds such answers).
    const plain = await harness.gql<{ instance: { backups: Array<{ note: string }> } }>('query($id: ID!) { instance(id: $id) { backups { note } } }', { id: vm2 });
    expect(plain.errors).toBeUndefined();
    expect(plain.data?.instance.backups).toHaveLength(6);
  });
});

describe("a subscription's update that repeats what was read is bounded alike", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], simulator: { instances: 3, backupsPerInstance: 60 }, configure: withLimits({ maxAnswerBytes: MiB }) });
  });
  afterAll(() => harness.close());

  it("refuses an operation's instance's backups' instance's backups (60 x 60 raw records) as it is sent", async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ raw: unknown }> } }> } }>('{ instances { edges { node { id backups { raw } } } } }');
    const instance = listed.data!.instances.edges.map((edge) => edge.node).sort((a, b) => b.backups.length - a.backups.length)[0]!;
    // Precondition: each backup's instance's backups once are within the limit, all of them past it.
    const once = JSON.stringify(instance.backups).length;
    expect(once).toBeLessThan(MiB);
    expect(once * instance.backups.length).toBeGreaterThan(MiB);
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "fan" }) { operation { id } } }', { id: instance.id });
    expect(created.errors, JSON.stringify(created.errors)).toBeUndefined();
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const first = await new Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }>((resolve, reject) => {
        const stop = client.subscribe(
          { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status instance { backups { instance { backups { raw } } } } } }', variables: { id: created.data!.createBackup.operation.id } },
          {
            next: (value) => {
              stop();
              resolve(value as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> });
            },
            error: reject,
            complete: () => reject(new Error('ended without an update')),
          },
        );
      });
      expect(first.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(first.errors?.[0]?.message).toContain('limits.maxAnswerBytes');
      expect(first.data ?? null).toBeNull();
    } finally {
      await client.dispose();
    }
  });
});
