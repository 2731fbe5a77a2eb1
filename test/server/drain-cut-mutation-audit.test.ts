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
  async function createHeld(
    shutdownEnv: Record<string, string> = { DRAIN_TIMEOUT_MS: '2000', SHUTDOWN_READYZ_GRACE_MS: '0' },
    beforeCreate: (gateway: GatewayProcess) => Promise<void> = async () => {},
  ): Promise<{ gateway: GatewayProcess; instanceId: string; answer: Promise<number | string> }> {
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { ...shutdownEnv, LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    started.push(gateway);
    const post = (body: object) => fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const listed = (await (await post({ query: INSTANCES })).json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } };
    const instanceId = listed.data.instances.edges[0]!.node.id;
    await beforeCreate(gateway);
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
    // Answered as the drain cut it (drain-cut-answer.ts), where its connection simply closed.
    expect(await answer).toBe(503);
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
    // Answered as the drain's cut answers it (503 SHUTTING_DOWN, outcome unknown), where its connection was destroyed with no answer.
    expect(await answer).toBe(503);
    const audited = auditedCreates(gateway);
    expect(audited, gateway.output()).toHaveLength(1);
    expect(audited[0]).toMatchObject({ outcome: 'cut', targets: { instanceId } });
  }, 60_000);

  it("by a second signal, stdout's reader behind: its audit line still reaches the reader that reads on after the signal", async () => {
    // The drain's first part (/readyz 503, everything still served) lasts long enough for the test
    // to see it: the first signal is then taken, without reading a log the test leaves unread.
    const slowDrain = { DRAIN_TIMEOUT_MS: '60000', SHUTDOWN_READYZ_GRACE_MS: '30000' };
    const { gateway, instanceId, answer } = await createHeld(slowDrain, fillStdoutPipe);
    const closed = new Promise((resolve) => gateway.child.once('close', resolve));
    gateway.child.kill('SIGTERM');
    await eventually(
      () => fetch(new URL('/readyz', gateway.url)).then((response) => response.status),
      (status) => status === 503,
      { timeoutMs: 10_000, intervalMs: 20 },
    );
    gateway.child.kill('SIGTERM');
    // The reader reads again only now: the exit's lines were queued behind a full pipe.
    gateway.child.stdout?.resume();
    expect(await gateway.exited).toBe(143);
    await closed;
    // Answered as the drain's cut answers it (503 SHUTTING_DOWN, outcome unknown), where its connection was destroyed with no answer.
    expect(await answer).toBe(503);
    const audited = auditedCreates(gateway);
    expect(audited, gateway.output().slice(-2_000)).toHaveLength(1);
    expect(audited[0]).toMatchObject({ outcome: 'cut', targets: { instanceId } });
  }, 60_000);
});

/**
 * Error answers whose log lines (one each, ~1.2 KiB: the message quotes the long field name, cut at
 * 1,000 characters) fill the pipe and the test's own buffer while nobody reads, ~360 KiB, far
 * below the gateway's 4 MiB queue: nothing dropped, the exit's lines queued behind them.
 */
const ERROR_ANSWERS = 300;
const LONG_NAME = 'x'.repeat(2_000);

async function fillStdoutPipe(gateway: GatewayProcess): Promise<void> {
  gateway.child.stdout?.pause();
  for (let index = 0; index < ERROR_ANSWERS; index += 1) {
    const response = await fetch(gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ noSuchField${index}${LONG_NAME} }` }),
    });
    expect(response.status).toBe(400);
    await response.text();
  }
}

