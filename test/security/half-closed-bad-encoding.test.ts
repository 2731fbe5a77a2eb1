import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Sends a request over a raw socket, half-closing it once the body is written when `halfClose`
 * (`socket.end()`: the client will send nothing more, and still reads). Resolves with all the
 * server sent once the server ends the connection; left open, the client ends it once a whole
 * answer has come.
 */
function exchange(port: number, head: string, body: Buffer, halfClose: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(received);
      if (!halfClose && end >= 0 && length && received.length >= end + 4 + Number(length[1])) socket.end();
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(received));
    socket.write(head);
    socket.write(body);
    if (halfClose) socket.end();
  });
}

const statusLine = (answer: string): string => answer.slice(0, answer.indexOf('\r\n'));
const bodyOf = (answer: string): unknown => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

/**
 * A body whose content-encoding lies (plain JSON said to be gzip) was answered 400 on a connection
 * left open, and nothing at all where the client half-closed once its body was written: node ended
 * the connection at the client's end, before the decoder (off the main thread) had refused the body.
 */
describe('a body whose content-encoding lies, its client half-closing after it', () => {
  let harness: Harness;
  let port: number;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    port = Number(new URL(harness.gateway.url).port);
  });
  afterAll(() => harness.close());

  const head = (encoding: string, length: number) => `POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-encoding: ${encoding}\r\ncontent-length: ${length}\r\n\r\n`;
  const plain = Buffer.from('{"query":"{ __typename }"}');

  it.each(['gzip', 'deflate', 'br'])('%s: answered 400 as on a connection left open, the connection then ended', async (encoding) => {
    const open = await exchange(port, head(encoding, plain.length), plain, false);
    expect(statusLine(open)).toBe('HTTP/1.1 400 Bad Request');
    const halfClosed = await exchange(port, head(encoding, plain.length), plain, true);
    expect(statusLine(halfClosed)).toBe('HTTP/1.1 400 Bad Request');
    expect(bodyOf(halfClosed)).toEqual(bodyOf(open));
    expect(bodyOf(halfClosed)).toEqual({ errors: [{ message: 'malformed request body', extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  it('guard: a coded body read whole after its client half-closed is not run to an answer (the end is the client gone, as before)', async () => {
    const coded = gzipSync(Buffer.from('{"query":"{ instances(first: 1) { totalCount } }"}'));
    expect(await exchange(port, head('gzip', coded.length), coded, true)).toBe('');
    const open = await exchange(port, head('gzip', coded.length), coded, false);
    expect(statusLine(open)).toBe('HTTP/1.1 200 OK');
  });
});
