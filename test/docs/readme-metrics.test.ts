import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { RedisOperationBus } from '../../src/cluster/redis-operation-bus.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withSettings, type Harness } from '../helpers/harness.js';
import { testRedis } from '../helpers/redis.js';

/**
 * The README's metric tables and the shipped Prometheus alert rules (deploy/prometheus/), read
 * against the /metrics a gateway really serves: an alert on a metric or label the gateway does
 * not export never fires, and a metric missing from the tables is one an operator does not know
 * to scrape for. The README shows the rules file; the file is what Prometheus loads, so it is
 * what is checked, and the README's copy is checked against it.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
/** Where the README's metric tables and the rules file's copy moved (2026-12-05). */
const OPERATIONS = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
const RULES_PATH = 'deploy/prometheus/backup-graph.rules.yaml';
const RULES_FILE = readFileSync(new URL(`../../${RULES_PATH}`, import.meta.url), 'utf8');

/** Each table row naming a `backup_graph_` metric, with the label names its second column lists. */
function documentedMetrics(): Map<string, string[]> {
  const rows = [...`${README}\n${OPERATIONS}`.matchAll(/^\| `(backup_graph_[a-z_]+)`[^|]*\| ([^|]*)\|$/gm)];
  return new Map(
    rows.map(([, name, labels]) => [
      name as string,
      (labels as string)
        .replace(/\([^)]*\)/g, '')
        .split(',')
        .map((label) => label.trim())
        .filter(Boolean),
    ]),
  );
}

/**
 * What an operator reads besides the tables: the README, every file of docs/ and deploy/, the
 * Dockerfile and compose.yaml. A metric named in prose or in a config comment that /metrics does
 * not export (a rename the text missed, a typo) sends an operator to a query that shows nothing;
 * the table check above reads table rows only.
 */
function operatorTexts(): Array<[string, string]> {
  const root = new URL('../../', import.meta.url);
  const filesUnder = (dir: string): string[] =>
    readdirSync(new URL(dir, root), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(`${dir}${entry.name}/`) : [`${dir}${entry.name}`]));
  const paths = ['README.md', 'Dockerfile', 'compose.yaml', ...filesUnder('docs/'), ...filesUnder('deploy/')];
  return paths.map((path) => [path, readFileSync(new URL(path, root), 'utf8')]);
}

/** Each `backup_graph_` metric name a text mentions (a lower-case spelling of an environment variable it also names, BACKUP_GRAPH_CONFIG's, left out). */
function metricsMentioned(text: string): string[] {
  const names = [...text.matchAll(/(?<![A-Za-z0-9_])backup_graph_[a-z_]*[a-z](?![A-Za-z0-9_])/g)].map((match) => match[0]);
  return [...new Set(names)].filter((name) => !text.includes(name.toUpperCase()));
}

/** Metrics with samples only with REDIS_URL: read off a second gateway over Redis (the store and the operation bus). */
const REDIS_ONLY_METRICS = ['backup_graph_redis_connection_up'];
const redis = await testRedis();
afterAll(() => redis.stop());

/** The samples of REDIS_ONLY_METRICS a gateway over the test Redis exports; none without one. */
async function redisOnlySamples(): Promise<string> {
  if (!redis.url) return '';
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const store = new RedisStore(redis.url, prefix);
  await store.ready();
  const bus = new RedisOperationBus(redis.url, prefix);
  await bus.ready();
  const overRedis = await startHarness({ kinds: ['zomro'], store, operationBus: bus });
  try {
    const text = await (await fetch(`${overRedis.gateway.adminUrl}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => REDIS_ONLY_METRICS.some((name) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)))
      .join('\n');
  } finally {
    await overRedis.close();
  }
}

/** Labels Prometheus adds to each scraped series (its target's), which /metrics does not show. */
const PROMETHEUS_TARGET_LABELS = ['job', 'instance'];

interface AlertRule {
  alert: string;
  expr: string;
  annotations?: Record<string, string>;
}

/** Prometheus's durations: `2h`, `1h30m`, `500ms`. */
const duration = z.string().regex(/^(\d+(ms|[smhdwy]))+$/);
const labelMap = z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string());
/** Prometheus's rule-file format (alerting rules), its keys and no others. */
const ruleFile = z.strictObject({
  groups: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        interval: duration.optional(),
        limit: z.number().int().nonnegative().optional(),
        labels: labelMap.optional(),
        rules: z
          .array(
            z.strictObject({
              alert: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
              expr: z.string().min(1),
              for: duration.optional(),
              keep_firing_for: duration.optional(),
              labels: labelMap.optional(),
              annotations: z.record(z.string(), z.string()).optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(1),
});

function alertRules(): AlertRule[] {
  const document = ruleFile.parse(parse(RULES_FILE));
  return document.groups.flatMap((group) => group.rules);
}

/** Label names an expression groups by, selects on, or an annotation prints. */
function labelsUsed(rule: AlertRule): string[] {
  const grouped = [...rule.expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((match) => (match[1] as string).split(',').map((label) => label.trim()));
  const selected = [...rule.expr.matchAll(/\{([^}]*)\}/g)].flatMap((match) => [...(match[1] as string).matchAll(/([a-z_]+)\s*(?:=~|!~|!=|=)/g)].map((label) => label[1] as string));
  const printed = Object.values(rule.annotations ?? {}).flatMap((text) => [...text.matchAll(/\$labels\.([a-z_]+)/g)].map((match) => match[1] as string));
  return [...new Set([...grouped, ...selected, ...printed])].filter(Boolean);
}

interface Exported {
  type: string;
  /** Label names seen on its samples (a histogram's `le` left out). */
  labels: Set<string>;
  sampled: boolean;
}

/** Every `backup_graph_` metric of a /metrics text by its TYPE line, with the labels its samples carry. */
function exportedMetrics(text: string): Map<string, Exported> {
  const metrics = new Map<string, Exported>();
  for (const [, name, type] of text.matchAll(/^# TYPE (backup_graph_[a-z_]+) ([a-z]+)$/gm)) metrics.set(name as string, { type: type as string, labels: new Set(), sampled: false });
  for (const [, sample, labels] of text.matchAll(/^(backup_graph_[a-z_]+)(?:\{([^}]*)\})? /gm)) {
    const owner = metrics.get(sample as string) ?? metrics.get((sample as string).replace(/_(bucket|sum|count)$/, ''));
    if (!owner) continue;
    owner.sampled = true;
    for (const [, label] of (labels ?? '').matchAll(/([a-z_]+)="/g)) if (label !== 'le') owner.labels.add(label as string);
  }
  return metrics;
}

describe('README metrics and alert rules against /metrics', () => {
  let harness: Harness;
  let exported: Map<string, Exported>;
  let exportedText: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'zstack'], configure: withSettings({ protection: { sweepIntervalMs: 100 } }) });
    await harness.gql('{ instances { edges { node { backups { id } } } } }');
    await harness.gql('{ instance(id: "garbage") { id } }');
    // A failed account, so the failure gauges and counters have samples whose labels can be read.
    await harness.simulator('zstack').server.setFault('down');
    const text = await eventually(
      async () => (await fetch(`${harness.gateway.adminUrl}/metrics`)).text(),
      (body) => /^backup_graph_protection_provider_failed\{provider="zstack-test"\} 1$/m.test(body) && /^backup_graph_protection_provider_read_timestamp_seconds\{/m.test(body),
    );
    exportedText = `${text}\n${await redisOnlySamples()}`;
    exported = exportedMetrics(exportedText);
  });
  afterAll(() => harness.close());

  it('lists in its tables every backup_graph_ metric /metrics exports, and nothing it does not', () => {
    expect([...documentedMetrics().keys()].sort()).toEqual([...exported.keys()].sort());
  });

  it('names, anywhere in the README, docs/, deploy/, the Dockerfile and compose.yaml, only metrics /metrics exports, and only store label values it exports', () => {
    const exportedStores = new Set([...exportedText.matchAll(/^backup_graph_store_failures_total\{[^}]*store="([a-z_]+)"/gm)].map((match) => match[1] as string));
    const wrong: string[] = [];
    for (const [path, text] of operatorTexts()) {
      for (const name of metricsMentioned(text)) if (!exported.has(name) && !exported.has(name.replace(/_(bucket|sum|count)$/, ''))) wrong.push(`${path}: ${name}`);
      for (const [, store] of text.matchAll(/\bstore="([a-z_]+)"/g)) if (!exportedStores.has(store as string)) wrong.push(`${path}: store="${store}"`);
    }
    expect(wrong).toEqual([]);
  });

  it('names for each metric the labels its samples carry', () => {
    for (const [name, labels] of documentedMetrics()) {
      const metric = exported.get(name);
      if (metric?.sampled) expect([...metric.labels].sort(), name).toEqual([...labels].sort());
    }
  });

  it(`ships ${RULES_PATH} as a rule file Prometheus loads: groups of alerting rules, names unique`, () => {
    const { groups } = ruleFile.parse(parse(RULES_FILE));
    expect(new Set(groups.map((group) => group.name)).size).toBe(groups.length);
    const alerts = groups.flatMap((group) => group.rules.map((rule) => rule.alert));
    expect(new Set(alerts).size).toBe(alerts.length);
  });

  it(`shows ${RULES_PATH} in docs/operations.md as it is (its opening comments left out)`, () => {
    const shown = /\n```yaml\n# deploy\/prometheus\/backup-graph\.rules\.yaml \(less its opening comments\)\n([\s\S]*?)\n```/.exec(OPERATIONS)?.[1];
    expect(shown, `docs/operations.md has no \`\`\`yaml block starting "# ${RULES_PATH} (less its opening comments)"`).toBeDefined();
    expect(`${shown}\n`).toBe(RULES_FILE.replace(/^(#.*\n)+/, ''));
  });

  it('alerts on a gateway target down and on no gateway scraped at all, with no job name to edit in', () => {
    const exprs = alertRules().map((rule) => rule.expr);
    // up is per target and its job label is each deployment's: the gateway's own build_info says which targets are gateways.
    expect(exprs.filter((expr) => /\bup == 0\b/.test(expr) && expr.includes('backup_graph_build_info'))).toHaveLength(1);
    expect(exprs).toContain('absent(backup_graph_build_info)');
    for (const expr of exprs) expect(expr, 'a rule that names a job matches one deployment only').not.toMatch(/\bjob\s*=/);
  });

  it('alerts only on metrics the gateway exports, by labels their samples carry', () => {
    const rules = alertRules();
    expect(rules.map((rule) => rule.alert)).toContain('InstancesUnprotected');
    for (const rule of rules) {
      const metrics = [...new Set(rule.expr.match(/\bbackup_graph_[a-z_]+/g) ?? [])];
      expect(metrics.length, rule.alert).toBeGreaterThan(0);
      // With no Redis to run a gateway over, a rule on a Redis-only metric has no samples to read.
      if (!redis.url && metrics.some((name) => REDIS_ONLY_METRICS.includes(name))) continue;
      // Prometheus puts its target labels on every series it scrapes.
      const carried = new Set<string>(PROMETHEUS_TARGET_LABELS);
      for (const name of metrics) {
        // A histogram's series (`_count`, `_sum`, `_bucket`) are read as the histogram's.
        const metric = exported.get(name) ?? exported.get(name.replace(/_(bucket|sum|count)$/, ''));
        expect(metric?.sampled, `${rule.alert}: ${name}`).toBe(true);
        for (const label of metric?.labels ?? []) carried.add(label);
      }
      for (const label of labelsUsed(rule)) expect(carried.has(label), `${rule.alert}: label ${label}`).toBe(true);
    }
  });
});
