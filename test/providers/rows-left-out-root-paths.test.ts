import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const HOSTILE_ID = 'i'.repeat(2000);
const REASON = 'provider zomro-test sent an id of 2000 bytes (at most 512 are read): one instance left out of its instances list, the others answered';

/**
 * An instance row left out of its account's list (an id the gateway cannot read back) is reported
 * at the path of the field that answered from that list. `instances` named its path; `backups`,
 * `protectionSummary` and `instances(filter: { protection })` read the same list and gave the
 * error no path at all, so a client could not tell which of its fields was partial.
 */
describe('a row left out of an instance list read by a root field other than plain `instances`', () => {
  let harness: Harness;
  let restore: () => void;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const planted = [...simulator.instances.values()][0]!;
    const saved = planted.id;
    planted.id = HOSTILE_ID;
    restore = () => {
      planted.id = saved;
    };
  });
  afterAll(async () => {
    restore();
    await harness.close();
  });

  it.each([
    { field: 'backups', query: '{ answered: backups(first: 5) { totalCount providerErrors { code } } }' },
    { field: 'protectionSummary', query: '{ answered: protectionSummary { counts { instances } providerErrors { code } } }' },
    { field: 'instances(filter: { protection })', query: '{ answered: instances(first: 5, filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }) { totalCount providerErrors { code } } }' },
  ])("$field: the error names the field's path", async ({ query }) => {
    const answer = await harness.gql<{ answered: { providerErrors: unknown[] } }>(query);
    expect(answer.data?.answered.providerErrors).toEqual([]);
    expect(answer.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.providerCode, error.message])).toEqual([
      [['answered'], 'PROVIDER_ERROR', 'INVALID_RESPONSE', REASON],
    ]);
    expect(answer.text).not.toContain(HOSTILE_ID.slice(0, 600));
  });

  it('two root fields reading the list in one request: the error at each', async () => {
    const answer = await harness.gql('{ a: backups(first: 1) { totalCount } b: protectionSummary { counts { instances } } }');
    expect(answer.errors?.map((error) => error.path).sort()).toEqual([['a'], ['b']]);
  });
});

/** A backup row left out: the fields whose answer read the backup lists (a protection verdict, `backups`) name their paths. */
describe('a row left out of a backup list read by a root field', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    [...simulator.backups.values()][0]!.id = 'b'.repeat(2000);
  });
  afterAll(() => harness.close());

  it.each([
    { field: 'backups', query: '{ answered: backups(first: 5) { totalCount } }' },
    { field: 'protectionSummary', query: '{ answered: protectionSummary { counts { instances } } }' },
    { field: 'instances(filter: { protection })', query: '{ answered: instances(first: 5, filter: { protection: [PROTECTED, STALE, UNPROTECTED, UNKNOWN] }) { totalCount } }' },
  ])("$field: the error names the field's path", async ({ query }) => {
    const answer = await harness.gql(query);
    expect(answer.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.providerCode, error.message])).toEqual([
      // That VM's only backup: its list answered none, so no "others answered".
      [['answered'], 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider zomro-test sent an id of 2000 bytes (at most 512 are read): the only backup of its backups list left out, none answered'],
    ]);
  });
});
