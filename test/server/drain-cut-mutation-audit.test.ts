import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';

/**
 * Every mutation writes one audit line, refused ones too (docs/operations.md, "Logs"). One still
 * running when the drain timeout cut it wrote none: its line comes when it ends, and the process
 * exited first. Found by hand, as an operator stops a replica: a Zomro create the provider had
 * acted on (its backup made) left no trace in the audit trail; nor did one a second signal cut.
 * The compiled gateway (dist/), as deployed, stopped with SIGTERM while Zomro holds the create's answer.
 */
const CREATE_FUNC = 'instances.fleio_bckps.edit';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

interface AuditLine {
  audit?: boolean;
  operation?: string;
  outcome?: string;
  requestId?: string;
  targets?: { instanceId?: string };
}

const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';

describe('a mutation cut at shutdown', () => {
  let zomro: RunningSimulator;
  let directory: string;
  let configFile: string;
  const started: GatewayProcess[] = [];
  const holds: RequestHold[] = [];

  beforeAll(async () => {
    zomro = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-drain-cut-audit-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'admin', providers: [zomro.accountConfig('zomro')] }));
  }, 60_000);

  afterAll(async () => {
    for (const hold of holds) hold.release();
    for (const gateway of started) gateway.child.kill('SIGKILL');
    await zomro?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  /** A gateway whose create is held at Zomro (the provider has it), with its answer's promise. */
  async function createHeld(): Promise<{ gateway: GatewayProcess; instanceId: string; answer: Promise<number | string> }> {
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '2000', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    started.push(gateway);
    const post = (body: object) => fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const listed = (await (await post({ query: INSTANCES })).json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } };
    const instanceId = listed.data.instances.edges[0]!.node.id;
    const hold = zomro.server.holdAnswersOf(CREATE_FUNC);
    holds.push(hold);
    const answer = post({ query: CREATE, variables: { input: { instanceId, name: 'cut-at-shutdown' } } }).then(
      (response) => response.status,
      () => 'no answer',
    );
    await hold.arrived;
    return { gateway, instanceId, answer };
  }

  function auditedCreates(gateway: GatewayProcess): AuditLine[] {
    return gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AuditLine)
      .filter((line) => line.audit === true && line.operation === 'createBackup');
  }

  it('by the drain timeout: still writes its audit line, outcome "cut", before the process exits 1', async () => {
    const { gateway, instanceId, answer } = await createHeld();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(1);
    expect(await answer).toBe('no answer');
    const audited = auditedCreates(gateway);
    expect(audited, gateway.output()).toHaveLength(1);
    expect(audited[0]).toMatchObject({ outcome: 'cut', targets: { instanceId } });
    expect(audited[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);

  it('by a second signal: still writes its audit line, outcome "cut", before the process exits 143', async () => {
    const { gateway, instanceId, answer } = await createHeld();
    gateway.child.kill('SIGTERM');
    // The first signal's line says the drain has begun: the second is then no echo of the first.
    await eventually(async () => gateway.output(), (output) => output.includes('shutting down: finishing requests in flight'), { timeoutMs: 10_000, intervalMs: 20 });
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(143);
    expect(await answer).toBe('no answer');
    const audited = auditedCreates(gateway);
    expect(audited, gateway.output()).toHaveLength(1);
    expect(audited[0]).toMatchObject({ outcome: 'cut', targets: { instanceId } });
  }, 60_000);
});
