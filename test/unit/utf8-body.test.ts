import { describe, expect, it } from 'vitest';
import { isUtf8Message, NOT_UTF8_BODY, NOT_UTF8_MESSAGE, refuseNotUtf8 } from '../../src/server/utf8-body.js';

// "k-é" in UTF-8, then cut mid-character, then in Latin-1.
const utf8 = Buffer.from('{"idempotencyKey":"k-\u00e9"}', 'utf8');
const cut = Buffer.from([0x6b, 0x2d, 0xc3]);
const latin1 = Buffer.from([0x6b, 0x2d, 0xe9]);

describe('refuseNotUtf8: express.json verify of a body that is not UTF-8', () => {
  it('passes UTF-8 and an empty body', () => {
    expect(() => refuseNotUtf8(utf8)).not.toThrow();
    expect(() => refuseNotUtf8(Buffer.alloc(0))).not.toThrow();
  });

  it('throws a 400 of its own type for a body cut mid-character or in Latin-1', () => {
    for (const body of [cut, latin1]) {
      let thrown: unknown;
      try {
        refuseNotUtf8(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(thrown).toMatchObject({ message: 'request body is not UTF-8', status: 400, type: 'entity.not.utf8' });
    }
    expect(NOT_UTF8_BODY).toBe('entity.not.utf8');
  });
});

describe("isUtf8Message: a WebSocket message's bytes", () => {
  it('takes a text frame as ws checked it, whatever the bytes', () => {
    expect(isUtf8Message(latin1, false)).toBe(true);
    expect(isUtf8Message([cut], false)).toBe(true);
  });

  it("reads a binary frame's bytes, whole, in each of ws's shapes", () => {
    expect(isUtf8Message(utf8, true)).toBe(true);
    expect(isUtf8Message(latin1, true)).toBe(false);
    expect(isUtf8Message(new Uint8Array(latin1).buffer, true)).toBe(false);
    expect(isUtf8Message(new Uint8Array(utf8).buffer, true)).toBe(true);
    // Fragments: a character split across two is UTF-8 once joined; a bad one anywhere is not.
    expect(isUtf8Message([Buffer.from([0x6b, 0xc3]), Buffer.from([0xa9])], true)).toBe(true);
    expect(isUtf8Message([utf8, latin1], true)).toBe(false);
  });

  it('closes with a reason that says what to send (a close reason is all a client is told)', () => {
    expect(NOT_UTF8_MESSAGE).toMatch(/UTF-8 text/);
    // A close reason fits a control frame's 123 bytes.
    expect(Buffer.byteLength(NOT_UTF8_MESSAGE)).toBeLessThanOrEqual(123);
  });
});
