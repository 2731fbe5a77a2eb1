import { describe, expect, it } from 'vitest';
import { bodyErrorAnswer } from '../../src/server/body-errors.js';

const INTERNAL = { status: 500, message: 'internal error', code: 'INTERNAL_SERVER_ERROR' };
const notAnObject = (what: string): string => `the request body is ${what}: send {"query": "..."} (and "variables", "operationName" if any) as one JSON object`;

/** The edges of bodyErrorAnswer a focused Stryker run found no test of. */
describe('bodyErrorAnswer at its edges', () => {
  it('answers an error whose status is no 4xx or 5xx number 500 "internal error": an error never goes out as a 2xx, 3xx or a status of its own making', () => {
    for (const status of [200, 302, 399, 600, 999, '404', '503', Number.NaN, null]) {
      expect(bodyErrorAnswer(Object.assign(new Error('x'), { status })), String(status)).toEqual(INTERNAL);
    }
  });

  it('keeps a status at either end of the error range: 400 the client\'s, 599 the gateway\'s', () => {
    expect(bodyErrorAnswer({ status: 400 })).toEqual({ status: 400, message: 'malformed request body', code: 'BAD_USER_INPUT' });
    expect(bodyErrorAnswer({ status: 599 })).toEqual({ ...INTERNAL, status: 599 });
  });

  it('tells a body that is JSON but no object (a string, a number: the parser\'s strict mode) from one that is no JSON', () => {
    for (const body of ['"query { instances { id } }"', '42', 'null', ' true ']) {
      expect(bodyErrorAnswer({ status: 400, type: 'entity.parse.failed', body }), body).toEqual({ status: 400, message: notAnObject('JSON but not an object'), code: 'BAD_USER_INPUT' });
    }
    for (const body of ['{"query": ', "{'query': '{ instances { id } }'}", 'query={instances{id}}', '']) {
      expect(bodyErrorAnswer({ status: 400, type: 'entity.parse.failed', body }), body).toEqual({ status: 400, message: notAnObject('not valid JSON'), code: 'BAD_USER_INPUT' });
    }
    // The parser always sets the text it read; without it nothing says it was JSON.
    expect(bodyErrorAnswer({ status: 400, type: 'entity.parse.failed' }).message).toBe(notAnObject('not valid JSON'));
  });

  it('names the limit of a 413 only when it is a whole number of bytes', () => {
    expect(bodyErrorAnswer({ status: 413, type: 'entity.too.large', limit: 4096 }).message).toBe('request body too large (over 4096 bytes, limits.bodyLimitBytes)');
    for (const limit of ['4096', '1mb', 1.5, 2 ** 60, Number.POSITIVE_INFINITY, undefined]) {
      expect(bodyErrorAnswer({ status: 413, type: 'entity.too.large', limit }), String(limit)).toEqual({ status: 413, message: 'request body too large', code: 'BAD_USER_INPUT' });
    }
  });

  it('answers an unsupported content coding as the client\'s to change, code and all', () => {
    expect(bodyErrorAnswer({ status: 415, type: 'encoding.unsupported', encoding: 'compress' })).toEqual({
      status: 415,
      message: 'unsupported content-encoding "compress": send the body as is, or gzip, deflate or br',
      code: 'BAD_USER_INPUT',
    });
  });
});
