import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haproxyInstalled, startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';

/**
 * A stand-in replica that passes HAProxy's health check and hangs up on every POST without a word,
 * as a replica does that crashes, or cuts a request at the end of its drain, after it may have
 * acted: counts the requests that reached it.
 */
interface HangingReplica {
  address: string;
  posts: number;
  gets: number;
  close(): Promise<void>;
}

async function startHangingReplica(): Promise<HangingReplica> {
  const replica = { posts: 0, gets: 0 } as HangingReplica;
  const server: Server = createServer((incoming, outgoing) => {
    if (incoming.url === '/readyz') {
      outgoing.end('ok');
      return;
    }
    if (incoming.method === 'POST') {
      replica.posts += 1;
      // Read the whole request first: HAProxy then sees a request sent and nothing back (empty-response).
      incoming.resume();
      incoming.on('end', () => incoming.socket.destroy());
      return;
    }
    replica.gets += 1;
    // A GET (a query, never a mutation) is hung up on the first time at each replica, answered after.
    if (replica.gets === 1) incoming.socket.destroy();
    else outgoing.end('{"data":{"__typename":"Query"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  replica.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  replica.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return replica;
}

function send(url: string, method: 'GET' | 'POST', agent?: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, agent, headers: { 'content-type': 'application/json' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(method === 'POST' ? JSON.stringify({ query: 'mutation { createBackup(instanceId: "x") { id } }' }) : undefined);
  });
}

describe.skipIf(!haproxyInstalled())('deploy/haproxy.cfg: what it sends again to the other replica', () => {
  let replicas: [HangingReplica, HangingReplica];
  let haproxy: RunningHaproxy;

  beforeAll(async () => {
    replicas = [await startHangingReplica(), await startHangingReplica()];
    haproxy = await startHaproxy({ servers: [replicas[0].address, replicas[1].address], checkInter: '200ms' });
    await haproxy.waitFor('gateway-1', 'UP');
    await haproxy.waitFor('gateway-2', 'UP');
  });

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all((replicas ?? []).map((replica) => replica.close()));
  });

  it('never sends a POST a replica hung up on to another: it may be a mutation that acted (a second backup, a second restore)', async () => {
    const status = await send(`${haproxy.graphqlUrl}`, 'POST');
    expect(status).toBe(502);
    expect(replicas[0].posts + replicas[1].posts).toBe(1);
  });

  it('answers 502, not a silent hang-up, to a POST a replica hung up on after an earlier request on the client\'s connection: a browser resends one it got no answer to on a reused connection, whatever its method (Chromium did, and the mutation reached a replica twice)', async () => {
    // One client connection, kept alive: a request answered, then the POST on the same connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const postsBefore = replicas[0].posts + replicas[1].posts;
      expect(await send(`${haproxy.url}/readyz`, 'GET', agent)).toBe(200);
      // Before: HAProxy closed the client's connection without a word (ECONNRESET here), as it does for any
      // request but a connection's first, so that the client may send it again.
      expect(await send(`${haproxy.graphqlUrl}`, 'POST', agent)).toBe(502);
      expect(replicas[0].posts + replicas[1].posts - postsBefore).toBe(1);
    } finally {
      agent.destroy();
    }
  });

  it('sends a GET a replica hung up on to another (a query: asking again acts on nothing)', async () => {
    const status = await send(`${haproxy.graphqlUrl}?query=%7B__typename%7D`, 'GET');
    expect(status).toBe(200);
    expect(replicas[0].gets + replicas[1].gets).toBeGreaterThanOrEqual(2);
  });
});
