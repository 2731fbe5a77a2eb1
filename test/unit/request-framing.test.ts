import { describe, expect, it } from 'vitest';
import {
  HTTP10_TRANSFER_CODING_REFUSED,
  repeatedHeaderRefused,
  repeatedSingleValuedHeader,
  transferCodingOnHttp10,
  unservedHttpVersion,
  VERSION_REFUSED,
} from '../../src/server/request-framing.js';

describe('unservedHttpVersion', () => {
  it('serves HTTP/1.1 and HTTP/1.0 only', () => {
    expect(unservedHttpVersion({ httpVersion: '1.1' })).toBe(false);
    expect(unservedHttpVersion({ httpVersion: '1.0' })).toBe(false);
    for (const version of ['2.0', '0.9', '1.2', '']) expect(unservedHttpVersion({ httpVersion: version }), version).toBe(true);
  });
});

describe('transferCodingOnHttp10', () => {
  it('refuses Transfer-Encoding on HTTP/1.0, whatever its value', () => {
    expect(transferCodingOnHttp10({ httpVersion: '1.0', headers: { 'transfer-encoding': 'chunked' } })).toBe(true);
    expect(transferCodingOnHttp10({ httpVersion: '1.0', headers: { 'transfer-encoding': '' } })).toBe(true);
  });

  it('lets HTTP/1.0 without it through, and HTTP/1.1 with it', () => {
    expect(transferCodingOnHttp10({ httpVersion: '1.0', headers: { 'content-length': '2' } })).toBe(false);
    expect(transferCodingOnHttp10({ httpVersion: '1.1', headers: { 'transfer-encoding': 'chunked' } })).toBe(false);
  });
});

describe('repeatedSingleValuedHeader', () => {
  it('names Host, Authorization or Content-Type sent on two lines, in any case, in lower case', () => {
    expect(repeatedSingleValuedHeader(['Authorization', 'Bearer a', 'Host', 'x', 'authorization', 'Bearer b'])).toBe('authorization');
    expect(repeatedSingleValuedHeader(['CONTENT-TYPE', 'application/json', 'Content-Type', 'text/plain'])).toBe('content-type');
    expect(repeatedSingleValuedHeader(['Host', '127.0.0.1', 'Accept', '*/*', 'HOST', 'evil.example'])).toBe('host');
  });

  it('names the first header repeated, not the first repeated header seen', () => {
    expect(repeatedSingleValuedHeader(['Content-Type', 'a', 'Authorization', 'b', 'Authorization', 'c', 'Content-Type', 'd'])).toBe('authorization');
  });

  it('lets each once through, and list-valued headers repeated', () => {
    expect(repeatedSingleValuedHeader(['Authorization', 'Bearer a', 'Content-Type', 'application/json'])).toBeUndefined();
    expect(repeatedSingleValuedHeader(['Accept', 'a', 'Accept', 'b', 'Host', 'x'])).toBeUndefined();
    expect(repeatedSingleValuedHeader([])).toBeUndefined();
  });

  it('reads names only, not a value that spells one', () => {
    expect(repeatedSingleValuedHeader(['X-A', 'authorization', 'X-B', 'authorization', 'Authorization', 'Bearer a'])).toBeUndefined();
  });

  it('reads a last name with no value after it', () => {
    expect(repeatedSingleValuedHeader(['Authorization', 'Bearer a', 'Authorization'])).toBe('authorization');
  });
});

describe('the refusals', () => {
  it('tell the client what to send instead', () => {
    expect(VERSION_REFUSED).toBe('only HTTP/1.1 and HTTP/1.0 are served on this port: send the request line as HTTP/1.1');
    expect(HTTP10_TRANSFER_CODING_REFUSED).toBe('an HTTP/1.0 request cannot carry Transfer-Encoding: send the body with Content-Length, or the request as HTTP/1.1');
    expect(repeatedHeaderRefused('authorization')).toBe('the authorization header was sent on more than one line: send it once');
  });
});
