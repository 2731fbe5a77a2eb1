import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigObject } from '../../src/config/load.js';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { accountCacheKeys } from '../helpers/account-cache-keys.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { haproxyInstalled, startHaproxy, type RunningHaproxy } from '../helpers/haproxy.js';
import { eventually } from '../helpers/harness.js';
import { expectOnlyAccountIdChanged, HOST_CONFIG, hostConfigWithAccount, runAccountId, SHIPPED_ACCOUNT_ID } from '../helpers/host-config.js';

/**
 * A deployer's Monday without containers: two replicas as plain processes on one host, HAProxy
 * (deploy/haproxy.cfg) in front on the same host, one Redis, with the config and commands
 * docs/operations.md ("Plain hosts") gives. The only config the docs offered, compose's
 * deploy/config.yaml, stopped the second replica (its fixed admin port in use) and did not trust
 * HAProxy on loopback: every client was HAProxy's address, and one client's wrong keys locked
 * every client out. The replicas run the shipped file but for its account id, one of this run's
 * own (test/helpers/host-config.ts): systemd-unit.test.ts runs the same file against the same
 * Redis, and with one id the two would read each other's cached lists.
 */
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
  const accountId = runAccountId();
  let simulator: RunningSimulator;
  let directory: string;
  let config: string;
  let env: Record<string, string>;
  let replicas: GatewayProcess[] = [];
  let haproxy: RunningHaproxy;

  beforeAll(async () => {
    simulator = await startSimulator('zomro');
    const { url, auth } = simulator.accountConfig(accountId);
    const token = (auth as { token?: unknown } | undefined)?.token;
    if (typeof url !== 'string' || typeof token !== 'string') throw new Error('the Zomro simulator gave no url and token');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-plain-host-'));
    config = hostConfigWithAccount(directory, accountId);
    const secret = (name: string, value: string): string => {
      writeFileSync(join(directory, name), value, { mode: 0o600 });
      return join(directory, name);
    };
    env = {
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
    const started = await Promise.allSettled([0, 1].map((index) => spawnGateway({ configFile: config, port: ports[index]!, env: { ...env, ADMIN_PORT: String(adminPorts[index]) } })));
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

  it('runs the shipped file but for its account id, and the shipped file loads to the same config', () => {
    expectOnlyAccountIdChanged(config, accountId);
    const withPorts = { ...env, ADMIN_PORT: '9465' };
    const shipped = loadConfigObject(parse(readFileSync(HOST_CONFIG, 'utf8')), withPorts);
    const ran = loadConfigObject(parse(readFileSync(config, 'utf8')), withPorts);
    expect(ran.providers.map((provider) => provider.id)).toEqual([accountId]);
    expect({ ...ran, providers: ran.providers.map((provider) => ({ ...provider, id: SHIPPED_ACCOUNT_ID })) }).toEqual(shipped);
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

  it("caches its reads in Redis under this run's account id, apart from another run of the same file", async () => {
    expect(await statusThrough(haproxy.graphqlUrl, NEIGHBOUR, { authorization: `Bearer ${DASHBOARD_KEY}` })).toBe(200);
    expect((await accountCacheKeys(REDIS_URL, accountId)).length).toBeGreaterThan(0);
  }, 60_000);

  it("one client's wrong keys lock out that client alone, not its neighbours behind the same HAProxy", async () => {
    // limits.authFailures: 20 failed authentications an address a minute, then refused.
    for (let attempt = 0; attempt < 21; attempt++) await statusThrough(haproxy.graphqlUrl, CARELESS, { authorization: `Bearer wrong-key-${attempt}-0123456789abc` });
    expect(await statusThrough(haproxy.graphqlUrl, CARELESS, { authorization: `Bearer ${DASHBOARD_KEY}` })).not.toBe(200);
    expect(await statusThrough(haproxy.graphqlUrl, NEIGHBOUR, { authorization: `Bearer ${DASHBOARD_KEY}` })).toBe(200);
  }, 60_000);
});
