import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const BACKUP_LIST = 'instances.fleio_bckps';

const post = (body: Buffer, extraHeaders = ''): Buffer =>
  Buffer.concat([Buffer.from(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n${extraHeaders}content-length: ${body.length}\r\n\r\n`), body]);

/** How many whole answers (each with a content-length) `text` holds. */
function wholeAnswers(text: string): number {
  let count = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf('\r\n\r\n', at);
    const length = /content-length: (\d+)/i.exec(text.slice(at, end));
    if (end < 0 || length === null || text.length < end + 4 + Number(length[1])) return count;
    count += 1;
    at = end + 4 + Number(length[1]);
  }
}

/** Writes `bytes` in one write; resolves with all the gateway sent once two whole answers have come (the client then ends) or the gateway closes. */
function exchange(port: number, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (wholeAnswers(received) >= 2) socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(bytes);
  });
}

const statusLines = (text: string): string[] => text.match(/HTTP\/1\.1 \d{3}/g) ?? [];

/**
 * Guards (they pass on the code as it is): a request pipelined behind one still running on a
 * connection its client keeps open, its body refused (a content-encoding that lies or is unknown,
 * a body not UTF-8), is answered, in its place after the running one's answer. Where the client
 * half-closes after writing them, neither is answered: the end is read as the client gone
 * (half-closed-pipelined.test.ts).
 */
describe('a refused body pipelined behind a running request, the connection left open', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    port = Number(new URL(harness.gateway.url).port);
  });
  afterAll(() => harness.close());

  const running = post(Buffer.from(JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { id } }', variables: { id: encodeId('Backup', 'zomro-test', ['700001', '1']) } })));
  const plain = Buffer.from('{"query":"{ __typename }"}');
  const refused = [
    ['a gzip coding that lies', post(plain, 'content-encoding: gzip\r\n'), 'HTTP/1.1 400', 'malformed request body'],
    ['an unknown coding', post(plain, 'content-encoding: zstd\r\n'), 'HTTP/1.1 415', 'unsupported content-encoding'],
    ['a body not UTF-8', post(Buffer.from('{"query":"\xe9"}', 'latin1')), 'HTTP/1.1 400', 'not UTF-8'],
  ] as const;

  // Written in one go, the second is read while the first is held at Zomro.
  it.each(refused)('guard: %s: answered after the running one, in its place', async (_name, bytes, status, words) => {
    const hold = harness.simulator('zomro').server.holdAnswersOf(BACKUP_LIST);
    try {
      const answers = exchange(port, Buffer.concat([running, bytes]));
      await hold.arrived;
      hold.release();
      const text = await answers;
      expect(statusLines(text)).toEqual(['HTTP/1.1 200', status]);
      expect(text.slice(text.lastIndexOf('HTTP/1.1 '))).toContain(words);
    } finally {
      hold.release();
    }
  });
});
