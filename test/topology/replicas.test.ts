import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { follow } from '../helpers/ws.js';
import { haproxyInstalled, startHaproxy } from '../helpers/haproxy.js';
import { eventually } from '../helpers/harness.js';

/**
 * Two gateway processes sharing the real Redis, as deployed (deploy/,
 * compose.yaml): each replica is a real process with its own config file,
 * in front of one simulated provider.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';
/** A backup a test follows stays Saving until the test ends it (finishBackups): released by the test, never run out. */
const HELD_MS = 10 * 60_000;
/** The checks' interval: HAProxy takes a draining replica out within one. */
const CHECK_INTER_MS = 200;

interface Answer<T> {
  status: number;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer<T>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as Omit<Answer<T>, 'status'>) };
  } catch {
    throw new Error(`${response.status} ${text.slice(0, 200)}`);
  }
}

function wsClient(gateway: GatewayProcess): Client {
  return createClient({ url: gateway.graphqlUrl.replace('http', 'ws'), webSocketImpl: WebSocket, lazy: true, retryAttempts: 0 });
}

describe('two gateway replicas sharing Redis', () => {
  const run = randomUUID().slice(0, 8);
  // A provider id of this run's own keeps its cache keys and operation ids apart from other runs on the same Redis.
  const providerId = `zomro-topology-${run}`;
  let simulator: RunningSimulator;
  let directory: string;
  let configFile: string;
  let ports: [number, number];
  let replicas: [GatewayProcess, GatewayProcess];
  let instanceIds: string[];

  const start = (index: 0 | 1) => spawnGateway({ configFile, port: ports[index], env: { REDIS_URL } });
  const polls = () => simulator.server.log.filter((request) => request.label === 'instances.fleio_bckps');

  beforeAll(async () => {
    simulator = await startSimulator('zomro', { asyncDelayMs: 150 });
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-topology-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(
      configFile,
      JSON.stringify({
        listen: { port: 0, host: '127.0.0.1' },
        // Two processes on one machine: each its own free admin port.
        admin: { port: 0 },
        allowAnonymous: true,
        logLevel: 'warn',
        // Ten check intervals: HAProxy sees the 503 before the listener closes, and so does the
        // test's own request to the draining replica, though both replicas are busy with the
        // steady load (at three, 600 ms, that request came after the close in two full runs on a
        // loaded machine: ECONNRESET).
        shutdown: { readyzGraceMs: 10 * CHECK_INTER_MS },
        providers: [{ ...simulator.accountConfig(providerId), cacheTtlMs: 60_000, retries: 1 }],
      }),
    );
    ports = [await freePort(), await freePort()];
    replicas = await Promise.all([start(0), start(1)]);
    const list = await gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(replicas[0].graphqlUrl, '{ instances { edges { node { id } } } }');
    instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
  }, 300_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((replica) => replica.stop()));
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('does one upstream create for one idempotency key sent to each replica', async () => {
    const input = { instanceId: instanceIds[1], name: `once-${run}`, idempotencyKey: randomUUID() };
    simulator.server.resetLog();
    const send = (replica: GatewayProcess) => gql<{ createBackup: { operation: { id: string } } }>(replica.graphqlUrl, CREATE, { input });
    const [a, b] = await Promise.all([send(replicas[0]), send(replicas[1])]);
    expect(a.errors).toBeUndefined();
    expect(b.errors).toBeUndefined();
    expect(b.data?.createBackup.operation.id).toBe(a.data?.createBackup.operation.id);
    expect(simulator.server.count('instances.fleio_bckps.edit')).toBe(1);
  });

  /** A backup started on `replicas[on]`, followed from each replica in turn, each having seen it RUNNING. */
  async function followedOnBoth(on: 0 | 1, instanceId: string | undefined, name: string) {
    const created = await gql<{ createBackup: { operation: { id: string } } }>(replicas[on].graphqlUrl, CREATE, { input: { instanceId, name } });
    const id = created.data!.createBackup.operation.id;
    simulator.server.resetLog();
    const clients = [wsClient(replicas[0]), wsClient(replicas[1])] as const;
    try {
      const first = follow(clients[0], id);
      expect(await first.first).toBe('RUNNING');
      // Joins after the status was seen: it gets it at once, from the other replica's loop.
      const second = follow(clients[1], id);
      expect(await second.first).toBe('RUNNING');
      return { clients, first, second };
    } catch (error) {
      await Promise.all(clients.map((client) => client.dispose()));
      throw error;
    }
  }

  it('follows an operation started on the other replica, with one poll loop for subscribers on both', async () => {
    // Saving until both replicas' subscribers have seen it RUNNING (a 2.5 s job could end before on a loaded machine).
    const zomro = simulator.simulator as ZomroSimulator;
    zomro.asyncDelayMs = HELD_MS;
    const { clients, first, second } = await followedOnBoth(1, instanceIds[2], `followed-${run}`);
    try {
      zomro.finishBackups();
      expect(await first.all).toEqual(['RUNNING', 'SUCCEEDED']);
      expect(await second.all).toEqual(['RUNNING', 'SUCCEEDED']);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
    }
    // Each loop polls under the request id of the subscription that started it.
    const loops = new Set(polls().map((request) => request.headers['x-request-id']));
    expect(polls().length).toBeGreaterThan(1);
    expect(loops.size).toBe(1);
  });

  it('hands the polling over when the polling replica has no subscriber left', async () => {
    // Saving until the second replica polls it itself (a 3 s job could end before the handover on a loaded machine).
    const zomro = simulator.simulator as ZomroSimulator;
    zomro.asyncDelayMs = HELD_MS;
    const { clients, second } = await followedOnBoth(0, instanceIds[3], `handed-${run}`);
    try {
      const pollsBefore = polls().length;
      await clients[0].dispose();
      await eventually(
        async () => new Set(polls().map((request) => request.headers['x-request-id'])).size,
        (loops) => loops === 2,
        { timeoutMs: 30_000 },
      );
      zomro.finishBackups();
      expect(await second.all).toEqual(['RUNNING', 'SUCCEEDED']);
      // The second replica polled after the first left.
      const loops = new Set(polls().map((request) => request.headers['x-request-id']));
      expect(loops.size).toBe(2);
      expect(polls().length).toBeGreaterThan(pollsBefore);
    } finally {
      await clients[1].dispose();
    }
  });

  it('shares the read cache: a replica answers from what the other read, and a mutation on one drops it for both', async () => {
    const id = instanceIds[4];
    await gql(replicas[0].graphqlUrl, BACKUPS, { id });
    simulator.server.resetLog();
    const cached = await gql<{ instance: { backups: Array<{ name: string }> } }>(replicas[1].graphqlUrl, BACKUPS, { id });
    expect(cached.errors).toBeUndefined();
    // The instance itself is read afresh (instance lookups are not cached); its backups come from Redis.
    expect(simulator.server.count('instances.fleio_bckps')).toBe(0);
    const created = await gql(replicas[0].graphqlUrl, CREATE, { input: { instanceId: id, name: `cache-buster-${run}` } });
    expect(created.errors).toBeUndefined();
    const after = await gql<{ instance: { backups: Array<{ name: string }> } }>(replicas[1].graphqlUrl, BACKUPS, { id });
    expect(after.data?.instance.backups.map((backup) => backup.name)).toContain(`cache-buster-${run}`);
  });

  describe.skipIf(!haproxyInstalled())('behind HAProxy (deploy/haproxy.cfg; skipped only when the haproxy binary is missing)', () => {
    it('restarts both replicas one after the other under steady load with no failed request', async () => {
      const haproxy = await startHaproxy({ servers: [`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`], checkInter: `${CHECK_INTER_MS}ms` });
      let running = true;
      const failures: string[] = [];
      let answered = 0;
      const worker = async () => {
        while (running) {
          try {
            const answer = await gql<{ instances: { totalCount: number } }>(haproxy.graphqlUrl, DASHBOARD_QUERY);
            if (answer.status !== 200 || answer.errors || !answer.data) failures.push(`${answer.status} ${JSON.stringify(answer.errors)}`);
            else answered += 1;
          } catch (error) {
            failures.push(error instanceof Error ? `${error.message} ${error.cause === undefined ? '' : String(error.cause)}` : String(error));
          }
        }
      };
      try {
        await Promise.all([haproxy.waitFor('gateway-1', 'UP'), haproxy.waitFor('gateway-2', 'UP')]);
        const load = Promise.all([worker(), worker(), worker(), worker()]);
        await eventually(() => Promise.resolve(answered), (count) => count >= 20);
        for (const index of [0, 1] as const) {
          const replica = replicas[index];
          const name = `gateway-${index + 1}`;
          const stopped = replica.stop('SIGTERM');
          // Draining: not ready at once, yet still answering.
          await eventually(() => fetch(`${replica.url}/readyz`).then((response) => response.status), (status) => status === 503);
          const during = await gql<{ providers: Array<{ id: string }> }>(replica.graphqlUrl, '{ providers { id } }');
          expect(during.status).toBe(200);
          await haproxy.waitFor(name, 'DOWN');
          expect(await stopped).toBe(0);
          replicas[index] = await start(index);
          await haproxy.waitFor(name, 'UP');
          const mark = answered;
          await eventually(() => Promise.resolve(answered), (count) => count >= mark + 20);
        }
        running = false;
        await load;
      } finally {
        running = false;
        await haproxy.stop();
      }
      expect(failures).toEqual([]);
      expect(answered).toBeGreaterThan(60);
    }, 300_000);
  });
}, 300_000);
