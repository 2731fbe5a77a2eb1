import { describe, expect, it } from 'vitest';
import { NOT_FOUND_BODY, NOT_FOUND_MESSAGE } from '../../src/server/not-found.js';

/** What a path that is no route answers (HTTP and WebSocket upgrade alike): where the API and health are. */
describe('the answer at a path that is no route', () => {
  it('says where GraphQL and health are, in a GraphQL error with code NOT_FOUND', () => {
    expect(NOT_FOUND_MESSAGE).toMatch(/^not found: GraphQL is at \/graphql \(POST, GET, WebSocket; GraphiQL in a browser\), health at \/healthz and \/readyz$/);
    expect(JSON.parse(JSON.stringify(NOT_FOUND_BODY))).toEqual({ errors: [{ message: NOT_FOUND_MESSAGE, extensions: { code: 'NOT_FOUND' } }] });
  });
});
