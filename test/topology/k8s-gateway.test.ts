import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { environOf } from '../helpers/process-environ.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from '../server/built-gateway-beside-zomro.js';
import { ROOT, shellEnv, start } from '../server/process.js';
import { dockerfileEnv } from './dockerfile-env.js';
import { expectEachKeyServed } from './keys-served.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * What a pod of deploy/k8s runs, as plain commands (no cluster here): the
 * Deployment's args and env over the Dockerfile's ENV, the ConfigMap's
 * config, the Secret's keys as files. Only what needs a cluster is moved:
 * the mount paths to temporary directories, the listeners to loopback and
 * free ports, and (for the start) the provider's URL to the simulator.
 */
type Doc = Record<string, unknown>;
type EnvVar = { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } };
type Container = { args: string[]; env: EnvVar[]; volumeMounts: Array<{ name: string; mountPath: string }> };

// As kubectl reads them: YAML 1.1 (the volume's defaultMode is octal).
const manifests = ['deployment.yaml', 'configmap.yaml', 'secret.example.yaml'].flatMap((file) =>
  parseAllDocuments(readFileSync(join(ROOT, 'deploy/k8s', file), 'utf8'), { version: '1.1' }).map((document) => document.toJS() as Doc),
);
const ofKind = <T,>(kind: string): T => {
  const found = manifests.find((document) => document.kind === kind);
  if (!found) throw new Error(`deploy/k8s has no ${kind}`);
  return found as T;
};
const deployment = ofKind<{ spec: { template: { spec: { containers: Container[]; volumes: Array<{ name: string; configMap?: unknown; secret?: { secretName: string; defaultMode?: number } }> } } } }>('Deployment');
const pod = deployment.spec.template.spec;
const container = pod.containers[0] as Container;
const configText = ofKind<{ data: Record<string, string> }>('ConfigMap').data['config.yaml'] as string;
const exampleSecret = ofKind<{ metadata: { name: string }; stringData: Record<string, string> }>('Secret');

/** Where the container mounts its volume of `kind` (the ConfigMap's, the Secret's). */
function mountOf(kind: 'configMap' | 'secret'): string | undefined {
  const volume = pod.volumes.find((entry) => entry[kind] !== undefined);
  return container.volumeMounts.find((entry) => entry.name === volume?.name)?.mountPath;
}

/**
 * The Secret's keys as the kubelet lays out its volume (a file per key) in
 * a temporary directory, and the environment the kubelet gives the
 * container: the image's ENV, then the Deployment's env, a secretKeyRef
 * resolved to the key's value, paths into the Secret's volume moved to the
 * directory.
 */
function podEnvironment(secret: Record<string, string>): { dir: string; env: Record<string, string> } {
  const dir = temp.make('bg-k8s-pod-');
  const secretsDir = join(dir, 'secrets');
  const mounted = mountOf('secret');
  // The kubelet's layout: the files in a timestamped directory behind `..data`, each key a symlink through it,
  // with the volume's mode. A value as `kubectl create secret --from-file` of an editor's file holds it: one
  // trailing newline, which the gateway removes.
  const written = join(secretsDir, '..2026_12_04_00_00_00.000000001');
  mkdirSync(written, { recursive: true });
  symlinkSync(basename(written), join(secretsDir, '..data'));
  const mode = pod.volumes.find((entry) => entry.secret !== undefined)?.secret?.defaultMode ?? 0o644;
  for (const [key, value] of Object.entries(secret)) {
    writeFileSync(join(written, key), `${value}\n`, { mode });
    symlinkSync(join('..data', key), join(secretsDir, key));
  }
  const env: Record<string, string> = { ...dockerfileEnv() };
  for (const variable of container.env) {
    const fromSecret = variable.valueFrom?.secretKeyRef;
    if (fromSecret) {
      expect(fromSecret.name).toBe(exampleSecret.metadata.name);
      env[variable.name] = secret[fromSecret.key] ?? '';
    } else if (variable.value !== undefined) {
      env[variable.name] = mounted && variable.value.startsWith(`${mounted}/`) ? join(secretsDir, variable.value.slice(mounted.length + 1)) : variable.value;
    } else throw new Error(`${variable.name}: neither a value nor a secretKeyRef`);
  }
  return { dir, env };
}

/** The Deployment's args with the ConfigMap's mount moved to `configFile`'s directory, `--config` turned to `mode`. */
function podArgs(configFile: string, mode: '--config' | '--check-config'): string[] {
  const args = container.args;
  expect(args[0]).toBe('node');
  const configPath = `${mountOf('configMap') ?? '(no ConfigMap mounted)'}/config.yaml`;
  return args.slice(1).map((arg) => (arg === configPath ? configFile : arg === '--config' ? mode : arg));
}

/** No secret in the environment: `kubectl describe`, /proc/<pid>/environ and child processes show it. */
function expectNoSecretIn(env: Record<string, string>, secret: Record<string, string>): void {
  for (const [name, value] of Object.entries(env)) for (const [key, secretValue] of Object.entries(secret)) expect(value, `${name} holds the Secret's ${key}`).not.toContain(secretValue);
}

describe('the Kubernetes Deployment\'s gateway, run as its commands', () => {
  const beside = builtGatewayBesideZomro();

  it('passes --check-config on the ConfigMap\'s config with the example Secret\'s keys as files, none in the environment', () => {
    const secret = exampleSecret.stringData;
    const { dir, env } = podEnvironment(secret);
    expectNoSecretIn(env, secret);
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, configText);
    const result = spawnSync(process.execPath, podArgs(configFile, '--check-config'), { cwd: ROOT, env: shellEnv(env), encoding: 'utf8' });
    // Exit 2 names the variable that has no value (`${ZOMRO_SESSION}` unset, a NAME_FILE without its file).
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    for (const value of Object.values(secret)) expect(`${result.stdout}${result.stderr}`).not.toContain(value);
  });

  it('starts from the Secret\'s files alone and serves with the keys and the provider session they hold, quoting none', async () => {
    // The example Secret's keys with values the simulator and the test know. Its redis-url is left out: the
    // pod's Redis is not here, and the check above reads REDIS_URL_FILE as the start does.
    const secret: Record<string, string> = {
      'dashboard-key': 'dashboard-key-from-k8s-secret-file-01',
      'ops-key': 'ops-key-from-k8s-secret-file-0000002',
      'zomro-session': ZOMRO_SIM_TOKEN,
    };
    expect(Object.keys(exampleSecret.stringData).sort()).toEqual([...Object.keys(secret), 'redis-url'].sort());
    const { dir, env } = podEnvironment(secret);
    delete env.REDIS_URL_FILE;
    delete env.REDIS_URL;
    expectNoSecretIn(env, secret);

    const config = parse(configText) as { providers: Array<Record<string, unknown>> } & Doc;
    const configFile = join(dir, 'config.yaml');
    const providers = config.providers.map((provider) => ({ ...provider, url: beside.simulator().url }));
    writeFileSync(configFile, stringify({ ...config, providers, admin: { host: '127.0.0.1', port: 0 } }));
    const gateway = beside.track(start(process.execPath, podArgs(configFile, '--config'), shellEnv({ ...env, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    // The image's ENV MALLOC_ARENA_MAX=2 reaches the pod's gateway: the Deployment sets no other (docs/operations.md, "Start-up, memory, sizing").
    expect(environOf(gateway.child.pid).MALLOC_ARENA_MAX).toBe('2');

    await expectEachKeyServed(graphqlUrl, [secret['dashboard-key'] ?? '', secret['ops-key'] ?? '']);
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    for (const value of Object.values(secret)) expect(gateway.output()).not.toContain(value);
  }, 120_000);
});
