import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DETAILED_DASHBOARD } from '../helpers/dashboard.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';
import { prometheusInstalled, startPrometheus, type PromRuleGroup, type RunningPrometheus } from '../helpers/prometheus.js';
import { tempDirs } from '../helpers/temp-dirs.js';

const PROMETHEUS_DIR = fileURLToPath(new URL('../../deploy/prometheus/', import.meta.url));
const RULES_FILE = join(PROMETHEUS_DIR, 'backup-graph.rules.yaml');

interface ScrapeConfig {
  global: Record<string, string>;
  rule_files: string[];
  scrape_configs: Array<{ job_name: string; metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
}

/**
 * The shipped deploy/prometheus/prometheus.yml as run here: its job and rules as written (the rule
 * files' paths made absolute, since this copy lives in a temp dir), its targets this test's admin
 * listener, scraped and evaluated every second.
 */
function shippedConfigFor(target: string): { text: string; job: string } {
  const shipped = parse(readFileSync(join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as ScrapeConfig;
  const [scrape] = shipped.scrape_configs;
  const config: ScrapeConfig = {
    global: { ...shipped.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
    rule_files: shipped.rule_files.map((file) => resolve(PROMETHEUS_DIR, file)),
    scrape_configs: [{ ...scrape!, static_configs: [{ targets: [target] }] }],
  };
  return { text: stringify(config), job: scrape!.job_name };
}

/** The alert names of the shipped rules file, as written. */
function shippedAlerts(): string[] {
  const rules = parse(readFileSync(RULES_FILE, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string }> }> };
  return rules.groups.flatMap((group) => group.rules.map((rule) => rule.alert));
}

/**
 * The admin listener scraped by a real Prometheus (the binary, not promtool) with the shipped
 * deploy/prometheus/prometheus.yml, every second, its rules file loaded: the rules' own tests (alert-rules-promtool.test.ts) feed promtool
 * series made up by hand, this checks that what a real scrape stores is what they assume. Skipped
 * only where the prometheus binary is missing (.ci/run installs it).
 */
describe.skipIf(!prometheusInstalled())('a real Prometheus scraping the admin listener with the shipped rules (skipped only when prometheus is missing)', () => {
  const dirs = tempDirs();
  let harness: Harness;
  let prometheus: RunningPrometheus;
  let target: string;
  let job: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp'] });
    target = new URL(harness.gateway.adminUrl).host;
    const config = shippedConfigFor(target);
    job = config.job;
    prometheus = await startPrometheus({ dir: dirs.make('bg-prometheus-'), config: config.text });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await harness?.close();
    dirs.removeAll();
  });

  it('scrapes the target up, sees the upstream calls a dashboard made per provider, and loads every shipped rule healthy', async () => {
    const up = await eventually(
      () => prometheus.query(`up{job="${job}"}`),
      (samples) => samples.length === 1,
    );
    expect(up[0]!.metric.instance).toBe(target);
    expect(up[0]!.value[1], prometheus.output()).toBe('1');
    expect(await prometheus.query('sum by (provider) (backup_graph_upstream_request_duration_seconds_count)')).toEqual([]);

    const answer = await harness.gql(DETAILED_DASHBOARD);
    expect(answer.errors).toBeUndefined();

    const calls = await eventually(
      () => prometheus.query(`sum by (provider) (backup_graph_upstream_request_duration_seconds_count{job="${job}"})`),
      (samples) => samples.length === 2,
    );
    expect(Object.fromEntries(calls.map((sample) => [sample.metric.provider, Number(sample.value[1]) > 0]))).toEqual({ 'zomro-test': true, 'onapp-test': true });
    expect(await prometheus.query(`backup_graph_build_info{job="${job}"}`)).toHaveLength(1);

    // Evaluated over the dashboard's samples: two scrapes after it at least, for rate() and increase().
    const evaluatedFrom = Math.max(...calls.map((sample) => sample.value[0])) + 2;
    const groups = await eventually(
      () => prometheus.ruleGroups(),
      (listed) => listed.length > 0 && listed.every((group) => group.rules.every((rule) => Date.parse(rule.lastEvaluation) / 1_000 > evaluatedFrom)),
    );
    const rules = groups.flatMap((group) => group.rules);
    expect(rules.map((rule) => rule.name).sort()).toEqual(shippedAlerts().sort());
    expect(rules.filter((rule) => rule.health !== 'ok').map((rule) => `${rule.name}: ${rule.health} ${rule.lastError ?? ''}`)).toEqual([]);
    // The first evaluation may come before the first scrape; once scraped, the replica is no longer absent.
    const absent = (listed: PromRuleGroup[]) => listed.flatMap((group) => group.rules).find((rule) => rule.name === 'GatewayAbsent');
    expect(absent(await eventually(() => prometheus.ruleGroups(), (listed) => absent(listed)?.state === 'inactive'))?.state).toBe('inactive');
  });
});
