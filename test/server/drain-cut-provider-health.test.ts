import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { cutByCloseMessage } from '../../src/upstream/cut-by-close.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { ensureBuilt } from './process.js';

/**
 * A request the drain timeout cut is the gateway's doing, not the provider's: the account's pool,
 * destroyed under it at close, failed it as "other", and the log said `provider health changed`
 * DEGRADED for a provider that was answering, which an on-call reads as an outage. A failure the
 * provider sends while the gateway runs still changes its health. The compiled gateway (dist/), as
 * deployed, stopped with SIGTERM while Zomro holds a create's answer. Its error line says the shutdown
 * cut it, not that the provider is unreachable.
 */
const CREATE_FUNC = 'instances.fleio_bckps.edit';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';

interface LogLine {
  msg?: string;
  provider?: string;
  health?: string;
  cause?: string;
}

describe('provider health as the drain cuts a request', () => {
  let zomro: RunningSimulator;
  let directory: string;
  let gateway: GatewayProcess | undefined;
  let hold: RequestHold | undefined;

  beforeAll(async () => {
    ensureBuilt();
    zomro = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-drain-cut-health-'));
  }, 120_000);

  afterAll(async () => {
    hold?.release();
    gateway?.child.kill('SIGKILL');
    await zomro?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  const healthChanges = (output: string): LogLine[] =>
    output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine)
      .filter((line) => line.msg === 'provider health changed');

  it("logs the provider's own failure, and no health change for the request it cut itself", async () => {
    const configFile = join(directory, 'config.yaml');
    // No retries and no cache: the provider's 500 is one failed read the log must tell.
    const account = { ...zomro.accountConfig('zomro'), retries: 0, cacheTtlMs: 0 };
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'admin', providers: [account] }));
    gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '2000', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    const running = gateway;
    const post = (body: object) => fetch(running.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    await zomro.server.setFault({ mode: 'http-500', times: 1 });
    await post({ query: INSTANCES });
    const listed = (await (await post({ query: INSTANCES })).json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } };
    const instanceId = listed.data.instances.edges[0]!.node.id;
    expect(healthChanges(running.output())).toEqual([
      expect.objectContaining({ provider: 'zomro', health: 'DEGRADED', cause: 'http_5xx' }),
      expect.objectContaining({ provider: 'zomro', health: 'UP' }),
    ]);

    hold = zomro.server.holdAnswersOf(CREATE_FUNC);
    const answer = post({ query: CREATE, variables: { input: { instanceId, name: 'cut-at-shutdown' } } }).then(
      (response) => response.status,
      () => 'no answer',
    );
    await hold.arrived;
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(1);
    expect(await answer).toBe(503);
    expect(running.output()).toContain('drain timeout');
    expect(healthChanges(running.output()), running.output()).toHaveLength(2);
    // Its error line says the shutdown cut it ("provider zomro is unreachable" sent on-call looking for an outage); the code stays typed.
    const errorLines = running
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine & { code?: string; message?: string; path?: string[] })
      .filter((line) => line.msg === 'request answered with an error' && line.path?.[0] === 'createBackup');
    expect(errorLines.map(({ code, message }) => ({ code, message }))).toEqual([{ code: 'PROVIDER_UNAVAILABLE', message: cutByCloseMessage('zomro') }]);
  }, 60_000);
});
