import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/** A raw connection that sent `text`: what came back, `closed` once the gateway ended it. */
function rawConnection(port: number, text: string): { received: () => string; closed: Promise<string> } {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  socket.write(text);
  return { received: () => received, closed };
}

const post = (body: string): string => `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

/** The value of one series of /metrics' text, NaN when it is not there. */
const seriesValue = (metrics: string, series: string): number => {
  const line = metrics.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
};

/**
 * The drain's 503 SHUTTING_DOWN refusals at the HTTP layer (a body still arriving when the listener
 * closes, a pipelined request still waiting its turn) were counted nowhere: an operator saw a
 * rollout's clients get 503s and neither /metrics nor the log said the gateway had sent them.
 * The compiled gateway (dist/), as deployed; raw sockets, since no HTTP client pipelines or sends
 * a body that never ends. A request held at the simulator keeps the drain, and the admin listener
 * with it, open while /metrics is read.
 */
describe('requests the drain refuses unrun', () => {
  const built = builtGatewayBesideZomro();

  it('are counted by reason in backup_graph_drain_refusals_total and told in a line as the drain ends', async () => {
    const path = join(temp.make('bg-drain-refusals-'), 'config.yaml');
    writeFileSync(path, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', shutdown: { drainTimeoutMs: 20_000, readyzGraceMs: 0 }, providers: [built.simulator().accountConfig('zomro')] }));
    const gateway = built.track(start(process.execPath, ['dist/main.js', '--config', path], shellEnv({ PORT: '0', LOG_FORMAT: 'json' })));
    const port = Number(new URL((await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string).port);
    const adminUrl = (await gateway.waitFor(/"adminUrl":"([^"]+)"/))[1] as string;
    const metric = async (series: string): Promise<number> => seriesValue(await (await fetch(new URL('/metrics', adminUrl))).text(), series);
    expect(await metric('backup_graph_drain_refusals_total{reason="body_unread"}')).toBe(0);
    expect(await metric('backup_graph_drain_refusals_total{reason="waiting_turn"}')).toBe(0);
    const hold = built.simulator().server.holdAnswersOf('instances.fleio_bckps');
    try {
      // A request held upstream, and one pipelined behind it on its connection, waiting its turn.
      const held = rawConnection(port, post(JSON.stringify({ query: '{ instances(first: 1) { edges { node { backups { id } } } } }' })) + post(JSON.stringify({ query: '{ __typename }' })));
      await hold.arrived;
      // A request whose body never ends.
      const unread = rawConnection(port, 'POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nexpect: 100-continue\r\ncontent-length: 1000\r\n\r\n{"query":');
      await eventually(() => Promise.resolve(unread.received()), (text) => text.includes('100 Continue'));
      gateway.child.kill('SIGTERM');
      expect(await unread.closed).toContain('SHUTTING_DOWN');
      // The drain waits for the held request: the admin listener still answers.
      expect(await metric('backup_graph_drain_refusals_total{reason="body_unread"}')).toBe(1);
      expect(await metric('backup_graph_drain_refusals_total{reason="waiting_turn"}')).toBe(1);
      expect(await metric('backup_graph_graphql_errors_total{code="SHUTTING_DOWN"}')).toBe(2);
      hold.release();
      const answers = await held.closed;
      expect(answers.startsWith('HTTP/1.1 200')).toBe(true);
      expect(answers.slice(answers.lastIndexOf('HTTP/1.1 '))).toMatch(/^HTTP\/1\.1 503/);
      expect((await gateway.exited).code).toBe(0);
      // What an operator sees whatever the scrape interval: the process exits before the next scrape.
      const line = gateway.output().split('\n').find((each) => each.includes('"requestsRefused"'));
      expect(line).toBeDefined();
      expect(JSON.parse(line as string)).toMatchObject({ level: 30, requestsRefused: { body_unread: 1, waiting_turn: 1 } });
    } finally {
      hold.release();
    }
  }, 60_000);
});
