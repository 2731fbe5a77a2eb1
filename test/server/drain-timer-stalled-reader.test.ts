import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { freePort, spawnGateway, type GatewayProcess } from '../helpers/gateway-process.js';

/**
 * The drain timer's exit (src/server/shutdown.ts: a drain that outlasts drainTimeoutMs exits 1)
 * with stdout's reader stalled: the lines it writes on the way out (the timer's own line, the cut
 * mutation's audit line) queue behind a full pipe, and the exit gives them up to 1 s to leave
 * (docs/operations.md, "Logs and a reader that stops reading"). The unit tests show the order of
 * the hooks; this shows the compiled gateway, as deployed, with a real pipe nobody reads.
 * DRAIN_TIMEOUT_MS=0: the drain cuts at once, as in lifecycle.test.ts's timer case. Since the cut
 * request is answered (drain-cut-answer.ts), its connection closes at once too, and the drain may
 * end on its own just before the 0 ms timer: either exit's lines must reach the reader.
 */
const CREATE_FUNC = 'instances.fleio_bckps.edit';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';

/** ~1.2 KiB lines each (the message quotes the long field name): ~360 KiB, far below the 4 MiB queue. */
const ERROR_ANSWERS = 300;
const LONG_NAME = 'x'.repeat(2_000);

interface LogLine {
  msg?: string;
  code?: string;
  audit?: boolean;
  operation?: string;
  outcome?: string;
  targets?: { instanceId?: string };
}

describe('the drain timer exit with stdout\'s reader stalled', () => {
  let zomro: RunningSimulator;
  let directory: string;
  let configFile: string;
  const started: GatewayProcess[] = [];
  const holds: RequestHold[] = [];

  beforeAll(async () => {
    zomro = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-drain-timer-stalled-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'admin', providers: [zomro.accountConfig('zomro')] }));
  }, 60_000);

  afterAll(async () => {
    for (const hold of holds) hold.release();
    for (const gateway of started) gateway.child.kill('SIGKILL');
    await zomro?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('exits 1, and the reader that reads on after the signal gets every line: the queued ones, the timer\'s, the cut audit line', async () => {
    const gateway = await spawnGateway({ configFile, port: await freePort(), env: { DRAIN_TIMEOUT_MS: '0', SHUTDOWN_READYZ_GRACE_MS: '0', LOG_FORMAT: 'json', LOG_LEVEL: 'info' } });
    started.push(gateway);
    const post = (body: object) => fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const listed = (await (await post({ query: INSTANCES })).json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } };
    const instanceId = listed.data.instances.edges[0]!.node.id;

    // From here on nobody reads the pipe: the kernel's 64 KiB fill, the rest queues in the gateway.
    gateway.child.stdout?.pause();
    for (let index = 0; index < ERROR_ANSWERS; index += 1) {
      const response = await post({ query: `{ noSuchField${index}${LONG_NAME} }` });
      expect(response.status).toBe(400);
      await response.text();
    }
    const hold = zomro.server.holdAnswersOf(CREATE_FUNC);
    holds.push(hold);
    const answer = post({ query: CREATE, variables: { input: { instanceId, name: 'cut-by-drain-timer' } } }).then(
      (response) => response.status,
      () => 'no answer',
    );
    await hold.arrived;

    const closed = new Promise((resolve) => gateway.child.once('close', resolve));
    gateway.child.kill('SIGTERM');
    // The request in flight is answered as the drain cuts it: the signal was taken and the drain cut, with the reader still stalled.
    expect(await answer).toBe(503);
    gateway.child.stdout?.resume();
    expect(await gateway.exited).toBe(1);
    await closed;

    const lines = gateway
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
    const messages = lines.map((line) => line.msg ?? '');
    const tail = gateway.output().slice(-3_000);
    // Queued while the reader stalled, none dropped.
    expect(lines.filter((line) => line.msg === 'request answered with an error' && line.code === 'BAD_USER_INPUT'), tail).toHaveLength(ERROR_ANSWERS);
    const signalAt = messages.indexOf('shutting down: finishing requests in flight');
    // The timer's line, or the drain's own end (the cut counted, exit 1): whichever came first, the last line.
    const exitAt = messages.findLastIndex((message) => message === 'shutdown: drain timeout passed, exiting' || message === 'shut down');
    const audits = lines.map((line, at) => ({ line, at })).filter(({ line }) => line.audit === true && line.operation === 'createBackup');
    expect(signalAt, tail).toBeGreaterThan(-1);
    expect(exitAt, tail).toBeGreaterThan(signalAt);
    expect(messages.filter((message) => message === 'shutdown: drain timeout passed, exiting' || message === 'shut down'), tail).toHaveLength(1);
    expect(audits, tail).toHaveLength(1);
    expect(audits[0]!.line).toMatchObject({ outcome: 'cut', targets: { instanceId } });
  }, 120_000);
});
