import { describe, expect, it } from 'vitest';
import { answerDecoder, answerText } from '../../src/upstream/answer-body.js';

const read = async (bytes: Buffer, contentType?: string) => answerText(bytes, contentType);

describe('provider answers read in the charset their content type names', () => {
  it('reads UTF-8 natively: no charset, utf-8 in any spelling, or one no decoder knows', () => {
    for (const type of [undefined, 'application/json', 'application/json; charset=UTF-8', 'application/json;charset="utf8"', 'application/json; charset=utf-7', 'application/json; charset=bogus']) {
      expect(answerDecoder(type)).toBeNull();
    }
    expect(answerDecoder('application/json; charset="ISO-8859-1"')?.encoding).toBe('windows-1252');
    expect(answerDecoder(['application/json; charset=utf-16le'])?.encoding).toBe('utf-16le');
  });

  it('reads Latin-1 bytes as Latin-1, and UTF-8 labelled Latin-1 as UTF-8', async () => {
    expect(await read(Buffer.from('"Grüße"', 'latin1'), 'application/json; charset=iso-8859-1')).toBe('"Grüße"');
    expect(await read(Buffer.from('"Grüße"', 'utf8'), 'application/json; charset=iso-8859-1')).toBe('"Grüße"');
    // Unlabelled, bytes that are no UTF-8 stay U+FFFD, as before.
    expect(await read(Buffer.from('"Grüße"', 'latin1'))).toBe('"Gr\ufffd\ufffde"');
  });

  it('drops a UTF-8 byte-order mark, which JSON.parse refuses', async () => {
    expect(await read(Buffer.from('\ufeff{"a":1}', 'utf8'), 'application/json')).toBe('{"a":1}');
    expect(await read(Buffer.from('\ufeff{"a":1}', 'utf8'))).toBe('{"a":1}');
    // Only at the start: a mark inside a string is the provider's text.
    expect(await read(Buffer.from('{"a":"\ufeff"}', 'utf8'))).toBe('{"a":"\ufeff"}');
  });

  it('reads UTF-16 as named, its byte-order mark dropped', async () => {
    expect(await read(Buffer.from('\ufeff{"a":"ü"}', 'utf16le'), 'application/json; charset=UTF-16')).toBe('{"a":"ü"}');
  });
});
