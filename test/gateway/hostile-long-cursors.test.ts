import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

/** An id a hostile client makes up: markup, a path, a newline, a bidi override, padded to about 1,000 characters. */
const HOSTILE_ID = `<script>alert(1)</script>../../etc/passwd\n\u202Eevil${'Z'.repeat(900)}`;
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

const CURSORS: Array<[string, string]> = [
  ['a keyed cursor whose key is the hostile id', b64(`k:3:${HOSTILE_ID}`)],
  ['a keyed cursor whose key is the hostile id base64url-encoded, with a place in account that is no number', b64(`k:3:${b64(HOSTILE_ID).slice(0, 990)}:x`)],
  ['a protection cursor naming the hostile id in an account that is no account', b64(`p:${JSON.stringify([3, 'danube-test', HOSTILE_ID])}`)],
  ['the hostile id as the cursor itself', HOSTILE_ID],
];

const LISTS: Array<[string, string]> = [
  ['instances', 'query($after: String) { instances(first: 2, after: $after) { edges { cursor } } }'],
  ['instances with the protection filter', 'query($after: String) { instances(first: 2, after: $after, filter: { protection: [UNPROTECTED] }) { edges { cursor } } }'],
  ['backups', 'query($after: String) { backups(first: 2, after: $after) { edges { cursor } } }'],
];

/** A hand-made cursor of about 1,000 characters holding a hostile id: refused as the client's input, never quoted back. */
describe('hand-made long cursors holding a hostile id', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
  });
  afterAll(() => harness.close());

  it('are about 1,000 characters', () => {
    for (const [, cursor] of CURSORS) expect(cursor.length).toBeGreaterThan(900);
  });

  for (const [list, query] of LISTS) {
    it.each(CURSORS)(`${list}: %s is BAD_USER_INPUT and the answer quotes neither the cursor nor the id`, async (_what, cursor) => {
      const answer = await harness.gql(query, { after: cursor });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toBe('after must be a cursor from a previous page');
      const text = JSON.stringify(answer);
      expect(text).not.toContain(cursor.slice(0, 40));
      expect(text).not.toContain('<script>');
      expect(text).not.toContain('Z'.repeat(20));
    });
  }
});
