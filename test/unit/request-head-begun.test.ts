import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { requestHeadArriving } from '../../src/server/request-head-begun.js';

// A connection as the drain reads it: `parser`, node's HTTP parser, and the bytes read (some, unless said).
const socketWith = (parser: unknown, bytesRead = 1): Socket => ({ parser, bytesRead }) as unknown as Socket;
const parserAt = (duration: number, headersCompleted: boolean) => ({ duration: () => duration, headersCompleted: () => headersCompleted });

describe("requestHeadArriving: a request's headers begun and not all come, as node's HTTP parser tells", () => {
  it('is true only while a request has begun (duration past 0) and its headers are not complete', () => {
    expect(requestHeadArriving(socketWith(parserAt(1, false)))).toBe(true);
    expect(requestHeadArriving(socketWith(parserAt(250, false)))).toBe(true);
    // No request begun since the last ended (an empty line between requests is skipped by llhttp).
    expect(requestHeadArriving(socketWith(parserAt(0, false)))).toBe(false);
    // Headers all come: the request is read, its body or answer is someone else's business.
    expect(requestHeadArriving(socketWith(parserAt(1, true)))).toBe(false);
    expect(requestHeadArriving(socketWith(parserAt(0, true)))).toBe(false);
  });

  it('is false on a connection that has read no byte, though its parser times it from the accept', () => {
    expect(requestHeadArriving(socketWith(parserAt(250, false), 0))).toBe(false);
    expect(requestHeadArriving(socketWith(undefined, 0))).toBe(false);
    expect(requestHeadArriving(socketWith(parserAt(250, false), 1))).toBe(true);
  });

  it('is undefined where the connection has no parser that tells (none yet, null, or a runtime without the two reads)', () => {
    expect(requestHeadArriving(socketWith(undefined))).toBeUndefined();
    expect(requestHeadArriving(socketWith(null))).toBeUndefined();
    expect(requestHeadArriving(socketWith('parser'))).toBeUndefined();
    expect(requestHeadArriving(socketWith(() => 1))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => 1 }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: 1, headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => 1, headersCompleted: false }))).toBeUndefined();
    expect(requestHeadArriving({} as Socket)).toBeUndefined();
  });

  it("is undefined, not false, where the parser's reads throw or answer what is no reading (a freed parser, a node that changed them)", () => {
    const throwing = { duration: () => { throw new TypeError('Illegal invocation'); }, headersCompleted: () => false };
    expect(requestHeadArriving(socketWith(throwing))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => 1, headersCompleted: () => { throw new Error('gone'); } }))).toBeUndefined();
    // A parser whose C++ side is gone unwraps to undefined (node's ASSIGN_OR_RETURN_UNWRAP).
    expect(requestHeadArriving(socketWith({ duration: () => undefined, headersCompleted: () => undefined }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => undefined, headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => 1, headersCompleted: () => undefined }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => 1n, headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => '1', headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => Number.NaN, headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => -1, headersCompleted: () => false }))).toBeUndefined();
    expect(requestHeadArriving(socketWith({ duration: () => 1, headersCompleted: () => 0 }))).toBeUndefined();
  });
});
