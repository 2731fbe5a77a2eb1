import { createServer, type AddressInfo } from 'node:net';
import { errors, Pool } from 'undici';
import { describe, expect, it } from 'vitest';
import { isUnreadableHttpAnswer, UNREADABLE_ANSWER_NEXT_STEP } from '../../src/upstream/unreadable-answer.js';

/**
 * Which transport errors say the provider answered with HTTP the gateway cannot read (so the
 * account's url reaches something that answers), rather than that nothing answered there. With
 * undici's own error classes, as the upstream client meets them, directly or behind a cause.
 */
/** As undici's parser throws it (its constructor's code argument, which its types leave out, written `HPE_` + llhttp's name). */
const parserError = (): Error => Object.assign(new errors.HTTPParserError('Expected HTTP/'), { code: 'HPE_INVALID_CONSTANT' });
const withCode = (code: unknown, name = 'Error'): Error => Object.assign(new Error('m'), { name, code });

describe('isUnreadableHttpAnswer: an answer received, not readable as HTTP', () => {
  it('reads as unreadable what undici throws for bytes a provider or a proxy may send: two framings, two lengths, headers past its bound, no HTTP', async () => {
    const answers = {
      'a Content-Length beside chunked framing': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n',
      'two Content-Lengths': 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
      'one header past 16 KiB': `HTTP/1.1 200 OK\r\nX-Note: ${'a'.repeat(20_000)}\r\n\r\n`,
      'a flood of header lines': `HTTP/1.1 200 OK\r\n${'X-A: b\r\n'.repeat(5_000)}\r\n`,
      'a status line with no code': 'HTTP/1.1 OK\r\nContent-Length: 2\r\n\r\n{}',
      'no HTTP at all': 'SSH-2.0-OpenSSH_9.6\r\n',
    };
    for (const [what, bytes] of Object.entries(answers)) {
      const server = createServer((socket) => socket.once('data', () => socket.end(bytes)));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      try {
        const error = await pool.request({ path: '/', method: 'GET' }).then(async (answer) => void (await answer.body.text()), (thrown: unknown) => thrown);
        expect([what, isUnreadableHttpAnswer(error)]).toEqual([what, true]);
      } finally {
        await pool.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    }
  });

  it('reads undici\'s parser error, its header overflow and a body unlike its Content-Length as unreadable', () => {
    expect(isUnreadableHttpAnswer(parserError())).toBe(true);
    expect(isUnreadableHttpAnswer(new errors.HTTPParserError('no code'))).toBe(true);
    expect(isUnreadableHttpAnswer(new errors.HeadersOverflowError())).toBe(true);
    expect(isUnreadableHttpAnswer(new errors.ResponseContentLengthMismatchError())).toBe(true);
  });

  it('reads each by its name or its code alone, as an error passed on under another name or code keeps one', () => {
    expect(isUnreadableHttpAnswer(withCode(undefined, 'HTTPParserError'))).toBe(true);
    expect(isUnreadableHttpAnswer(withCode(undefined, 'HeadersOverflowError'))).toBe(true);
    expect(isUnreadableHttpAnswer(withCode('UND_ERR_HEADERS_OVERFLOW'))).toBe(true);
    expect(isUnreadableHttpAnswer(withCode('UND_ERR_RES_CONTENT_LENGTH_MISMATCH'))).toBe(true);
    expect(isUnreadableHttpAnswer(withCode('HPE_INVALID_CONSTANT'))).toBe(true);
    expect(isUnreadableHttpAnswer(withCode('HPE_HEADER_OVERFLOW'))).toBe(true);
  });

  it('finds it behind the error undici throws for the request (its cause), or among a connect\'s several', () => {
    expect(isUnreadableHttpAnswer(new TypeError('fetch failed', { cause: parserError() }))).toBe(true);
    expect(isUnreadableHttpAnswer(new AggregateError([new Error('first'), withCode('HPE_INVALID_CONSTANT')]))).toBe(true);
  });

  it('reads no other transport error as unreadable: nothing answered, or the answer stopped', () => {
    for (const error of [
      withCode('ECONNREFUSED'),
      withCode('ENOTFOUND'),
      new errors.SocketError('other side closed'),
      new errors.ConnectTimeoutError(),
      new errors.HeadersTimeoutError(),
      new errors.BodyTimeoutError(),
      new TypeError('fetch failed', { cause: withCode('ECONNRESET') }),
      new AggregateError([withCode('ECONNREFUSED'), withCode('EHOSTUNREACH')]),
    ]) {
      expect(isUnreadableHttpAnswer(error)).toBe(false);
    }
  });

  it('reads an HPE_ code only at its start, a code only as text, and no name but the two', () => {
    expect(isUnreadableHttpAnswer(withCode('UND_ERR_HPE_'))).toBe(false);
    expect(isUnreadableHttpAnswer(withCode('XHPE_INVALID_CONSTANT'))).toBe(false);
    expect(isUnreadableHttpAnswer(withCode(1, 'Error'))).toBe(false);
    expect(isUnreadableHttpAnswer(withCode(['HPE_INVALID_CONSTANT']))).toBe(false);
    expect(isUnreadableHttpAnswer(withCode('ECONNRESET', 'HPE_INVALID_CONSTANT'))).toBe(false);
    expect(isUnreadableHttpAnswer(withCode('UND_ERR_SOCKET', 'UND_ERR_HEADERS_OVERFLOW'))).toBe(false);
    expect(isUnreadableHttpAnswer(undefined)).toBe(false);
    expect(isUnreadableHttpAnswer('HPE_INVALID_CONSTANT')).toBe(false);
  });

  it('tells what happened and where to look, after "provider X "', () => {
    expect(UNREADABLE_ANSWER_NEXT_STEP).toBe(
      "answered with HTTP the gateway cannot read (a malformed status line or header, more headers than it reads, or a body unlike its Content-Length): check that the account's url points at the provider's API and not another service or proxy",
    );
  });
});
