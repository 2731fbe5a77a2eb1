import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A Danube definition keeping no backups (retention 0) leaves none to restore: it protects nothing.
 * One whose record gives no retention (the API requires one) is not read as keeping none: unknown.
 * One switched off (`active` false, or 0 as Django REST framework's BooleanField also reads it) runs nothing.
 */

interface Node {
  nativeId: string;
  protection: { status: string; reason: string; scheduled: boolean | null };
}

interface DefinitionNode {
  nativeId: string;
  definitions: Array<{ name: string; active: boolean; retention: number; retentionStated: boolean; schedule: { nextRunAt: string | null } }>;
}

describe('danube definitions with retention 0 and protection', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    for (const definition of simulator.definitions) Object.assign(definition, { active: true, retention: 7 });
  });

  const protectionOf = async (hostname: string) => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances { edges { node { nativeId protection { status reason scheduled } } } } }');
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.find((edge) => edge.node.nativeId === hostname)!.node.protection;
  };
  const definitionsOf = async (hostname: string) => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: DefinitionNode }> } }>('{ instances { edges { node { nativeId definitions { name active retention retentionStated schedule { nextRunAt } } } } } }');
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.find((edge) => edge.node.nativeId === hostname)!.node.definitions;
  };

  it('a definition whose record gives no retention says so (retentionStated false; retention stays non-null, as the contract has it, and reads 0) and leaves a recent backup UNKNOWN RETENTION_UNKNOWN, not PROTECTED', async () => {
    for (const definition of simulator.definitions) if (definition.hostname === 'web06.example.com') delete definition.retention;
    const [daily] = await definitionsOf('web06.example.com');
    expect(daily).toMatchObject({ name: 'daily', active: true, retention: 0, retentionStated: false });
    // It does run: the next run is shown, and `scheduled` says so.
    expect(daily!.schedule.nextRunAt).toEqual(expect.any(String));
    expect(await protectionOf('web06.example.com')).toEqual({ status: 'UNKNOWN', reason: 'RETENTION_UNKNOWN', scheduled: true });
    // web03's newest backup is years old: STALE whether the definition keeps backups or not.
    for (const definition of simulator.definitions) if (definition.hostname === 'web03.example.com') delete definition.retention;
    expect(await protectionOf('web03.example.com')).toEqual({ status: 'STALE', reason: 'BACKUP_TOO_OLD', scheduled: true });
  });

  it('a definition without a retention of another disk than a recent backup: STALE either way (that disk scheduled, or nothing), answered STALE STALE_EITHER_RETENTION, not UNKNOWN', async () => {
    const daily = simulator.definitions.find((definition) => definition.hostname === 'web06.example.com')!;
    // web06's backup an hour old is of disk 1; its definition now backs up disk 2 and gives no retention.
    daily.disk_id = 2;
    delete daily.retention;
    try {
      expect(await protectionOf('web06.example.com')).toEqual({ status: 'STALE', reason: 'STALE_EITHER_RETENTION', scheduled: true });
    } finally {
      daily.disk_id = 1;
    }
  });

  it("a definition Danube sends with active 0 is inactive: no next run, and it keeps nothing PROTECTED (0 read as active)", async () => {
    expect(await protectionOf('web06.example.com')).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduled: true });
    for (const definition of simulator.definitions) if (definition.hostname === 'web06.example.com') definition.active = 0;
    expect(await definitionsOf('web06.example.com')).toEqual([{ name: 'daily', active: false, retention: 7, retentionStated: true, schedule: { nextRunAt: null } }]);
    expect(await protectionOf('web06.example.com')).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false });
  });

  it('a recent backup beside a definition keeping none is STALE (nothing scheduled keeps the next), not PROTECTED', async () => {
    // web06 has a backup an hour old and its daily definition.
    expect(await protectionOf('web06.example.com')).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduled: true });
    for (const definition of simulator.definitions) if (definition.hostname === 'web06.example.com') definition.retention = 0;
    expect(await protectionOf('web06.example.com')).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false });
  });
});
