import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

/** The account's disk list does not depend on the VM list, so a query that wants schedules reads both at once. */
describe('onapp: the disk list overlaps the VM list', () => {
  let harness: Harness;
  beforeAll(async () => {
    // Latency separates the rounds: the simulator logs a request when it answers it.
    harness = await startHarness({ kinds: ['onapp'], simulator: { latencyMs: 60 } });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  const labels = () => harness.simulator('onapp').server.log.map((request) => request.label);

  it('answers the disk list in the first round, with the VM list, when the query asks for schedules', async () => {
    // Backups first: without the overlap, their calls would go out (and come back) before the disk list.
    const answer = await harness.gql('{ instances { edges { node { id backups { id } schedules { cron } } } } }');
    expect(answer.errors).toBeUndefined();
    const log = labels();
    const disks = log.indexOf('GET /settings/disks.json');
    expect(disks).toBeGreaterThanOrEqual(0);
    expect(log.filter((label) => label === 'GET /settings/disks.json')).toHaveLength(1);
    // Everything of the second round (backups, schedules) comes after both first-round answers.
    const secondRound = log.findIndex((label) => label.endsWith('/backups.json') || label.endsWith('/schedules.json'));
    expect(disks).toBeLessThan(secondRound);
    expect(log.indexOf('GET /virtual_machines.json')).toBeLessThan(secondRound);
  });

  it('sees schedules asked for through named and inline fragments', async () => {
    const answer = await harness.gql(
      'query { instances { ...Page } } fragment Page on InstanceConnection { edges { node { backups { id } ... on Instance { ...Plans } } } } fragment Plans on Instance { schedules { cron } }',
    );
    expect(answer.errors).toBeUndefined();
    const log = labels();
    expect(log.indexOf('GET /settings/disks.json')).toBeLessThan(log.findIndex((label) => label.endsWith('/backups.json')));
  });

  it('reads no disk list for a query that asks for no schedules', async () => {
    const answer = await harness.gql('{ instances { edges { node { id backups { id } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(labels().some((label) => label.includes('disks'))).toBe(false);
  });
});
