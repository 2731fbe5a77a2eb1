import { describe, expect, it } from 'vitest';
import { bodyErrorAnswer } from '../../src/server/body-errors.js';

/**
 * Express's refusal of a path parameter it cannot decode (`/graphql/graphiql/<v>/%E0%A4%A`) is a
 * URIError with status 400: it names the path's %-escape, not the body, which was never read.
 */
describe('bodyErrorAnswer of a path parameter Express could not decode', () => {
  it('names the %-escape in the path', () => {
    const error = Object.assign(new URIError("Failed to decode param '%E0%A4%A'"), { status: 400, statusCode: 400 });
    expect(bodyErrorAnswer(error)).toEqual({ status: 400, message: 'malformed %-escape in the request path: escape each byte as % and two hex digits, in UTF-8', code: 'BAD_USER_INPUT' });
  });

  it('another 400 is still a malformed body (guard)', () => {
    expect(bodyErrorAnswer(Object.assign(new Error('bad'), { status: 400 }))).toEqual({ status: 400, message: 'malformed request body', code: 'BAD_USER_INPUT' });
  });
});
