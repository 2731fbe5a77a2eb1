import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { haproxyInstalled, startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';
import { eventually } from '../helpers/harness.js';

/**
 * A deployer's Monday without containers: two replicas as plain processes on one host, HAProxy
 * (deploy/haproxy.cfg) in front on the same host, one Redis, with the config and commands
 * docs/operations.md ("Plain hosts") gives. The only config the docs offered, compose's
 * deploy/config.yaml, stopped the second replica (its fixed admin port in use) and did not trust
 * HAProxy on loopback: every client was HAProxy's address, and one client's wrong keys locked
 * every client out.
 */
const CONFIG = fileURLToPath(new URL('../../deploy/host.config.yaml', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DASHBOARD_KEY = 'plain-host-dashboard-key-0123456789';
const QUERY = JSON.stringify({ query: '{ instances(first: 1) { totalCount } }' });
// Loopback is a /8 on Linux: clients bind these to arrive at HAProxy as different hosts.
const CARELESS = '127.0.0.2';
const NEIGHBOUR = '127.0.0.3';

function statusThrough(url: string, localAddress: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(QUERY);
  });
}

describe.skipIf(!haproxyInstalled())('two replicas as plain processes behind HAProxy on one host (deploy/host.config.yaml; skipped only without haproxy)', () => {
  let simulator: RunningSimulator;
  let directory: string;
  let replicas: GatewayProcess[] = [];
  let haproxy: RunningHaproxy;

  beforeAll(async () => {
    simulator = await startSimulator('zomro');
    const { url, auth } = simulator.accountConfig('zomro-nl');
    const token = (auth as { token?: unknown } | undefined)?.token;
    if (typeof url !== 'string' || typeof token !== 'string') throw new Error('the Zomro simulator gave no url and token');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-plain-host-'));
    const secret = (name: string, value: string): string => {
      writeFileSync(join(directory, name), value, { mode: 0o600 });
      return join(directory, name);
    };
    const env = {
      REDIS_URL,
      DASHBOARD_KEY_FILE: secret('dashboard_key', DASHBOARD_KEY),
      OPS_KEY_FILE: secret('ops_key', 'plain-host-ops-key-0123456789abcdef'),
      ZOMRO_URL: url,
      ZOMRO_SESSION_FILE: secret('zomro_session', token),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    };
    const ports = [await freePort(), await freePort()];
    const adminPorts = [await freePort(), await freePort()];
    const started = await Promise.allSettled([0, 1].map((index) => spawnGateway({ configFile: CONFIG, port: ports[index]!, env: { ...env, ADMIN_PORT: String(adminPorts[index]) } })));
    replicas = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    // One that did not start fails the file; the other is stopped by afterAll.
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
    haproxy = await startHaproxy({ servers: [`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`], checkInter: '200ms' });
    await Promise.all([haproxy.waitFor('gateway-1', 'UP'), haproxy.waitFor('gateway-2', 'UP')]);
  }, 300_000);

  afterAll(async () => {
    await haproxy?.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it("a client's request id reaches the replica's log: HAProxy on loopback is trusted", async () => {
    const id = `plain-host-${Date.now()}`;
    expect(await statusThrough(haproxy.graphqlUrl, NEIGHBOUR, { authorization: `Bearer ${DASHBOARD_KEY}`, 'x-request-id': id })).toBe(200);
    await eventually(
      async () => replicas.some((replica) => replica.output().includes(`"clientRequestId":"${id}"`)),
      (found) => found,
      { timeoutMs: 10_000, intervalMs: 50 },
    );
  }, 60_000);

  it("one client's wrong keys lock out that client alone, not its neighbours behind the same HAProxy", async () => {
    // limits.authFailures: 20 failed authentications an address a minute, then refused.
    for (let attempt = 0; attempt < 21; attempt++) await statusThrough(haproxy.graphqlUrl, CARELESS, { authorization: `Bearer wrong-key-${attempt}-0123456789abc` });
    expect(await statusThrough(haproxy.graphqlUrl, CARELESS, { authorization: `Bearer ${DASHBOARD_KEY}` })).not.toBe(200);
    expect(await statusThrough(haproxy.graphqlUrl, NEIGHBOUR, { authorization: `Bearer ${DASHBOARD_KEY}` })).toBe(200);
  }, 60_000);
});
