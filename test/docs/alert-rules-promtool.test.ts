import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * The shipped alert rules run by Prometheus's own rule engine (promtool test rules) over
 * series made up to match a fleet: readme-metrics.test.ts checks what each rule names,
 * this checks when it fires. Skipped only where promtool (Prometheus) is not installed.
 */
const promtoolInstalled = (): boolean => spawnSync('promtool', ['--version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!promtoolInstalled())('deploy/prometheus/backup-graph.rules.yaml under promtool (skipped only when promtool is missing)', () => {
  it('passes promtool check rules', () => {
    const checked = spawnSync('promtool', ['check', 'rules', 'deploy/prometheus/backup-graph.rules.yaml'], { encoding: 'utf8' });
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
  });

  it('passes promtool check config for the shipped deploy/prometheus/prometheus.yml, its rules file found beside it', () => {
    const checked = spawnSync('promtool', ['check', 'config', 'deploy/prometheus/prometheus.yml'], { encoding: 'utf8' });
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toContain('SUCCESS: 1 rule files found');
  });

  it('fires GatewayTargetDown for a replica that stops answering, whatever its job, and GatewayAbsent with none scraped', () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/target-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it('fires ProviderDown for a breaker that every scrape reads open while its openings count up, never for one left open idle', () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/provider-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it("fires RedisConnectionDown for a replica's connection lost 5 minutes, its subscriber's alone included, never for one back within a Redis restart", () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/redis-connection-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it('fires InstancesUnprotected, ProtectionUnknown, ProtectionCountsOutdated and ProtectionSweepStopped once their conditions have held their time, a count not doubled by the replicas that export it, never for one put right within it', () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/protection-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it("fires SharedStoreFailing once for a store whose calls keep failing 10 minutes, on any replica, never for one burst of failures", () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/shared-store-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it("fires ProviderCredentialsRefused once for an account whose credentials stay refused while it is called, never for one refusal answered at the next call nor for an account nobody calls", () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/credentials-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it('fires SecretTextWritten for the replica that refused a write of credential text, at once and for an hour, never for one that refused none', () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/secret-text-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it('fires GatewayUnhandledRejection, GatewayUncaughtException and GatewayAnswersByDeadline for the replica that counted one, and GatewayRestarting for a replica started 3 more times in 30 minutes, never for one restart nor for a process that is no gateway', () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/fault-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });

  it('waits past the sweep interval before ProtectionSweepStopped and ProtectionCountsOutdated: a sweep every 8 hours is neither stopped nor outdated between its runs', () => {
    const tested = spawnSync('promtool', ['test', 'rules', 'test/fixtures/prometheus/long-sweep-interval-rules.test.yaml'], { encoding: 'utf8' });
    expect(tested.status, tested.stdout + tested.stderr).toBe(0);
  });
});
