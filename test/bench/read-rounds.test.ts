import { describe, expect, it } from 'vitest';
import { onceReadLabels, roundsBetween } from '../../bench/read-rounds.js';

// The four-provider c=16 row read 16.1 and 32.3 upstream calls a dashboard for one build: the
// clients fell into one round of reads or two. The bench counts rounds by the reads one dashboard
// makes once (each account's instance list), so a row shows how many dashboards shared a round.
describe('bench rounds of reads', () => {
  const oneDashboard = {
    zstack: { total: 2, byLabel: { 'GET /zstack/v1/vm-instances': 1, 'GET /zstack/v1/volume-backups': 1 } },
    onapp: { total: 3, byLabel: { 'GET /virtual_machines.json': 1, 'GET /virtual_machines/:id/backups.json': 2 } },
  };

  it('takes the reads one dashboard sends exactly once, per provider kind, and not the per-instance ones', () => {
    expect(onceReadLabels(oneDashboard)).toEqual(['zstack GET /zstack/v1/vm-instances', 'zstack GET /zstack/v1/volume-backups', 'onapp GET /virtual_machines.json']);
  });

  it('counts the rounds between two counts as those reads flights, averaged over them', () => {
    const labels = onceReadLabels(oneDashboard);
    const before = { 'zstack GET /zstack/v1/vm-instances': 10, 'zstack GET /zstack/v1/volume-backups': 10, 'onapp GET /virtual_machines.json': 10, 'onapp GET /virtual_machines/:id/backups.json': 500 };
    // Two rounds, one read of a round joined a flight of the round before (4 + 4 + 4 - 1) / 3.
    const after = { 'zstack GET /zstack/v1/vm-instances': 14, 'zstack GET /zstack/v1/volume-backups': 13, 'onapp GET /virtual_machines.json': 14, 'onapp GET /virtual_machines/:id/backups.json': 900 };
    expect(roundsBetween(before, after, labels)).toBeCloseTo(11 / 3);
    expect(roundsBetween({}, { 'zstack GET /zstack/v1/vm-instances': 2 }, labels)).toBeCloseTo(2 / 3);
  });

  it('is NaN with no once-a-dashboard read to count by', () => {
    expect(roundsBetween({}, {}, [])).toBeNaN();
  });
});
