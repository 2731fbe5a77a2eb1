import { describe, expect, it } from 'vitest';
import { TRANSFER_CODING_REFUSED, unservedTransferCoding } from '../../src/server/transfer-coding.js';

describe('unservedTransferCoding', () => {
  it('serves a body with no Transfer-Encoding, or chunked alone in any case and spacing', () => {
    for (const codings of [undefined, 'chunked', 'Chunked', ' CHUNKED\t']) expect(unservedTransferCoding({ 'transfer-encoding': codings }), String(codings)).toBe(false);
  });

  it('refuses any other coding, chunked after another, or two lines joined', () => {
    for (const codings of ['gzip, chunked', 'gzip', 'chunked, chunked', 'identity', '']) expect(unservedTransferCoding({ 'transfer-encoding': codings }), codings).toBe(true);
  });

  it('tells the client what to send instead', () => {
    expect(TRANSFER_CODING_REFUSED).toBe('a Transfer-Encoding other than chunked is not served: send the body as it is (Content-Length) or chunked, without gzip or other codings');
  });
});
