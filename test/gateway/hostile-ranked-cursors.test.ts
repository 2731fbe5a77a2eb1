import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, withClients, type Harness } from '../helpers/harness.js';

const ADMIN = 'ranked-cursor-admin-key-0123456789ab';
const SCOPED = 'ranked-cursor-scoped-key-0123456789a';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const PAGE = 'query($first: Int, $after: String, $last: Int, $before: String) { backups(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { provider { id } } } } }';
type Page = { backups: { edges: Array<{ cursor: string; node: { provider: { id: string } } }> } };

/** Times a hostile client may put in a cursor: past a date's range, past a safe integer, negative, not a number. */
const RANKS = ['99999999999999999', '9999999999999999', '-9999999999999999', '9007199254740993', '-0', '-1', '1e10', 'NaN', '2026-01-01T00:00:00Z', '', '+5'];

/**
 * A backup cursor names its backup's time (`k:place:key:placeInAccount@time:nextKey`), and a page
 * after a gone or moved backup starts at its account's first row older than that time. Hand-made
 * times, on a backup of the client's own account or of one it may not read: every answer is rows of
 * the client's accounts alone, or BAD_USER_INPUT that quotes nothing of the cursor (a guard: no
 * such cursor found a hole).
 */
describe('hand-made times in backup cursors', () => {
  let harness: Harness;
  const cursors: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['danube'],
      configure: [withAccountCopy('danube', { id: 'danube-other' }), withClients([{ name: 'all', key: ADMIN, roles: ['admin'] }, { name: 'one', key: SCOPED, roles: ['admin'], providers: ['danube-test'] }])],
    });
    const all = await harness.gql<Page>(PAGE, { first: 100 }, { key: ADMIN });
    const own = all.data!.backups.edges.filter((edge) => edge.node.provider.id === 'danube-test')[1]!;
    const other = all.data!.backups.edges.find((edge) => edge.node.provider.id === 'danube-other')!;
    for (const edge of [own, other]) {
      const [, place, key, inAccount] = /^k:(\d+):([A-Za-z0-9_-]+):(\d+)/.exec(Buffer.from(edge.cursor, 'base64url').toString('utf8'))!;
      for (const rank of RANKS) cursors.push(b64(`k:${place}:${key}:${inAccount}@${rank}`), b64(`k:${place}:${key}:${inAccount}@${rank}:${key}`));
    }
    cursors.push(other.cursor);
  });
  afterAll(() => harness.close());

  it('answer rows of the client\'s own accounts, or BAD_USER_INPUT quoting none of the cursor', async () => {
    const wrong: string[] = [];
    for (const cursor of cursors) {
      for (const page of [{ first: 5, after: cursor }, { last: 5, before: cursor }, { first: 100, after: cursor, before: cursor }]) {
        const answer = await harness.gql<Page>(PAGE, page, { key: SCOPED });
        const codes = (answer.errors ?? []).map((error) => String(error.extensions?.code));
        const shown = Buffer.from(cursor, 'base64url').toString('utf8');
        if (answer.status >= 500 || codes.some((code) => code !== 'BAD_USER_INPUT')) wrong.push(`${shown}: ${answer.status} ${codes.join(',')}`);
        if (codes.length > 0 && answer.text.includes(cursor.slice(0, 24))) wrong.push(`${shown}: quoted back`);
        if (answer.data?.backups.edges.some((edge) => edge.node.provider.id !== 'danube-test')) wrong.push(`${shown}: another account's row`);
      }
    }
    expect(cursors.length).toBeGreaterThan(40);
    expect(wrong).toEqual([]);
  });
});
