import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { idleKeepAlive, sendAndStopReading, splitAnswer } from '../helpers/raw-http.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, portClosed, shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** 240 VMs of 100 KB: a 24 MB answer, far more than the loopback kernel buffers take (the unfixed drain cut one at about 4 MB). */
const VMS = 240;
const PADDING = 'p'.repeat(100_000);
const QUERY = JSON.stringify({ query: `{ instances(first: ${VMS}) { edges { node { raw } } providerErrors { code } } }` });
const BIG_ANSWER_REQUEST = `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(QUERY)}\r\n\r\n${QUERY}`;

/** An OnApp API whose VM list carries VMS records of 100 KB each. */
async function bigOnapp(): Promise<{ server: Server; url: string }> {
  const vm = (id: number) => `{"virtual_machine":{"id":${id},"label":"vm-${id}","identifier":"i${id}","padding":"${PADDING}"}}`;
  const list = `[${Array.from({ length: VMS }, (_, index) => vm(index + 1)).join(',')}]`;
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(req.url?.startsWith('/virtual_machines.json') ? list : '[]');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('stopping while an answer is still being written to a client that reads slowly', () => {
  let upstream: { server: Server; url: string };
  let running: Spawned | null = null;
  beforeAll(async () => {
    ensureBuilt();
    upstream = await bigOnapp();
  }, 120_000);
  afterEach(() => {
    running?.kill();
    running = null;
  });
  afterAll(() => upstream.server.close());

  /** The real gateway on port 0 over the big OnApp account; resolves once it listens, with its port. */
  const launch = async (drainTimeoutMs: number): Promise<{ gateway: Spawned; graphqlUrl: string; port: number }> => {
    const path = join(temp.make('bg-slow-reader-'), 'config.yaml');
    const account = { id: 'onapp-big', kind: 'onapp', url: upstream.url, auth: { username: 'ops', password: 'key' } };
    writeFileSync(path, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nshutdown: { drainTimeoutMs: ${drainTimeoutMs} }\nproviders:\n  - ${JSON.stringify(account)}\n`);
    const gateway = start(process.execPath, ['dist/main.js', '--config', path], shellEnv({ PORT: '0' }));
    running = gateway;
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    return { gateway, graphqlUrl, port: Number(new URL(graphqlUrl).port) };
  };

  it('counts an answer still unsent at the drain timeout as cut: exit 1, and the line names it', async () => {
    const { gateway, port } = await launch(1_500);
    const reader = await sendAndStopReading(port, BIG_ANSWER_REQUEST);
    gateway.child.kill('SIGTERM');
    // Before, the drain closed the connection at once, counted nothing and exited 0.
    expect((await gateway.exited).code).toBe(1);
    const output = gateway.output();
    expect(output).toContain('drain timeout: cut 1 HTTP request(s) and 0 WebSocket operation(s) still running');
    // Cut by the gateway's own drain, not by the process timer.
    expect(output).not.toContain('drain timeout passed');
    const { contentLength, body } = splitAnswer(await reader.readToEnd());
    expect(body.length).toBeLessThan(contentLength);
  }, 120_000);

  it('waits for a slow reader that reads on within the drain: the whole answer, exit 0; idle keep-alive connections still close at once', async () => {
    const { gateway, graphqlUrl, port } = await launch(20_000);
    const idle = await idleKeepAlive(port, '/healthz');
    const reader = await sendAndStopReading(port, BIG_ANSWER_REQUEST);
    gateway.child.kill('SIGTERM');
    // The listener closes as the drain starts, and idle connections with it; before, so did the slow reader's.
    await eventually(() => portClosed(graphqlUrl), (closed) => closed, { timeoutMs: 10_000 });
    await idle.closed;
    const { contentLength, body } = splitAnswer(await reader.readToEnd());
    expect(body.length).toBe(contentLength);
    const answer = JSON.parse(body.toString('utf8')) as { data: { instances: { edges: Array<{ node: { raw: { padding: string } } }>; providerErrors: unknown[] } } };
    expect(answer.data.instances.providerErrors).toEqual([]);
    expect(answer.data.instances.edges).toHaveLength(VMS);
    expect(answer.data.instances.edges.every((edge) => edge.node.raw.padding === PADDING)).toBe(true);
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.output()).toContain('"msg":"shut down"');
  }, 120_000);
});
