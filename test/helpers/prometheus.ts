import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './harness.js';
import { freePort, throwUnlessListening } from './gateway-process.js';

/** Whether the prometheus server binary is installed (CI installs it: Debian package `prometheus`, which carries promtool too). */
export const prometheusInstalled = (): boolean => spawnSync('prometheus', ['--version'], { stdio: 'ignore' }).status === 0;

/** One sample of an instant query's answer: its labels and its value as Prometheus writes it. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** A rule group as /api/v1/rules lists it, with what each rule's last evaluation said. */
export interface PromRuleGroup {
  name: string;
  file: string;
  rules: Array<{ name: string; health: string; lastError?: string; type: string; state?: 'inactive' | 'pending' | 'firing'; lastEvaluation: string }>;
}

export interface RunningPrometheus {
  url: string;
  /** An instant query through /api/v1/query; a query Prometheus refuses throws with its error. */
  query(expr: string): Promise<PromSample[]>;
  /** The rule groups /api/v1/rules lists. */
  ruleGroups(): Promise<PromRuleGroup[]>;
  /** What it printed, stdout and stderr together. */
  output(): string;
  stop(): Promise<void>;
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

async function apiGet<T>(url: string): Promise<T> {
  const answer = (await (await fetch(url)).json()) as ApiAnswer<T>;
  if (answer.status !== 'success') throw new Error(`Prometheus refused ${url}: ${answer.error ?? 'no error given'}`);
  return answer.data;
}

/**
 * A real Prometheus on a free loopback port, its config and TSDB in `dir`: `config` is its
 * prometheus.yml as text. Resolves once its own readiness endpoint says ready (the config and
 * the rule files loaded); a config it refuses fails at once with its output.
 */
export async function startPrometheus(options: { dir: string; config: string }): Promise<RunningPrometheus> {
  const port = await freePort();
  const configFile = join(options.dir, 'prometheus.yml');
  writeFileSync(configFile, options.config);
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(options.dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(
      async () => {
        if (exitCode !== undefined) throw new Error(`prometheus exited (${exitCode}) before it was ready:\n${output}`);
        const status = await fetch(`${url}/-/ready`).then(
          (response) => response.status,
          () => 0,
        );
        if (status !== 0) throwUnlessListening(child.pid, port, output);
        return status === 200;
      },
      (ready) => ready,
      { timeoutMs: 15_000, intervalMs: 50 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
  return {
    url,
    query: async (expr) => (await apiGet<{ result: PromSample[] }>(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    ruleGroups: async () => (await apiGet<{ groups: PromRuleGroup[] }>(`${url}/api/v1/rules`)).groups,
    output: () => output,
    stop: async () => {
      if (exitCode === undefined) child.kill('SIGTERM');
      await exited;
    },
  };
}
