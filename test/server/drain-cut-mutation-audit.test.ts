import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';

/**
 * Every mutation writes one audit line, refused ones too (docs/operations.md, "Logs"). One still
 * running when the drain timeout cut it wrote none: its line comes when it ends, and the process
 * exited first. Found by hand, as an operator stops a replica: a Zomro create the provider had
 * acted on (its backup made) left no trace in the audit trail. The compiled gateway (dist/), as
 * deployed, stopped with SIGTERM while Zomro holds the create's answer.
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

describe('a mutation the drain timeout cuts', () => {
  let zomro: RunningSimulator;
  let directory: string;
  let gateway: GatewayProcess;
  let hold: RequestHold | undefined;

  beforeAll(async () => {
    zomro = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-drain-cut-audit-'));
    const configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'admin', providers: [zomro.accountConfig('zomro')] }));
    gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '2000', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
  }, 120_000);

  afterAll(async () => {
    hold?.release();
    gateway?.child.kill('SIGKILL');
    await zomro?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('still writes its audit line, outcome "cut", before the process exits 1', async () => {
    const listed = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances(first: 1) { edges { node { id } } } }' }) });
    const instanceId = ((await listed.json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } }).data.instances.edges[0]!.node.id;

    hold = zomro.server.holdAnswersOf(CREATE_FUNC);
    const answer = fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CREATE, variables: { input: { instanceId, name: 'cut-by-the-drain' } } }) }).then(
      (response) => response.status,
      () => 'no answer',
    );
    await hold.arrived;
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(1);
    expect(await answer).toBe('no answer');

    const audited = gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as AuditLine)
      .filter((line) => line.audit === true && line.operation === 'createBackup');
    expect(audited, gateway.output()).toHaveLength(1);
    expect(audited[0]).toMatchObject({ outcome: 'cut', targets: { instanceId } });
    expect(audited[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  }, 60_000);
});
