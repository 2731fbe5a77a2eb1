import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withSettings } from '../helpers/harness.js';

const SCHEDULE = 'mutation($instanceId: ID!) { createBackupSchedule(input: { instanceId: $instanceId, name: "w", weekdays: [MON], time: "03:00" }) { schedule { id } } }';
const WEEKDAYS = 'SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY';

/**
 * An enum value graphql-js finds no near one for (`MON` for `MONDAY`) read only "does not exist
 * in "Weekday" enum.": where the schema may be shown, the answer lists the values; where it may
 * not (introspection off, a caller without the admin role), it names none.
 */
describe('an enum value that is none of the enum', () => {
  let open: Harness;
  let closed: Harness;
  beforeAll(async () => {
    [open, closed] = await Promise.all([startHarness({ kinds: ['zomro'] }), startHarness({ kinds: ['zomro'], configure: withSettings({ introspection: false, anonymousRole: 'viewer' }) })]);
  });
  afterAll(() => Promise.all([open.close(), closed.close()]));

  it('lists the enum values with introspection on, in the document and in a variable', async () => {
    const inDocument = await open.gql(SCHEDULE, { instanceId: 'x' });
    expect(inDocument.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([['BAD_USER_INPUT', `Value "MON" does not exist in "Weekday" enum. Weekday is one of ${WEEKDAYS}.`]]);
    const inVariable = await open.gql('query($k: ProviderKind) { instances(kind: $k) { totalCount } }', { k: 'VMWARE' });
    expect(inVariable.errors?.map((error) => error.message)).toEqual(['Variable "$k" got invalid value "VMWARE"; Value "VMWARE" does not exist in "ProviderKind" enum. ProviderKind is one of ZOMRO, ONAPP, ZSTACK, DANUBE.']);
  });

  it("keeps graphql-js's own suggestion where it has one, and adds nothing to it", async () => {
    const answer = await open.gql('{ instances(kind: ZOMR) { totalCount } }');
    expect(answer.errors?.map((error) => error.message)).toEqual(['Value "ZOMR" does not exist in "ProviderKind" enum. Did you mean the enum value "ZOMRO"?']);
  });

  // An admin key reads the schema with introspection off, so its answer lists them (schema-privacy.test.ts).
  it('names no value with introspection off, to a caller without the admin role', async () => {
    const answer = await closed.gql(SCHEDULE, { instanceId: 'x' });
    expect(answer.errors?.map((error) => error.message)).toEqual(['Value "MON" does not exist in "Weekday" enum.']);
  });
});
