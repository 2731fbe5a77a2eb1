import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { usage } from '../../src/cli.js';
import { readSchemaText } from '../../src/graphql/schema-file.js';

/**
 * What the deployment files (Dockerfile, compose.yaml, deploy/) hand the gateway, read against what the
 * gateway has: each option after dist/main.js one --help lists, each node flag before it one node knows,
 * each variable one --help names or the config that deployment runs reads as ${NAME}, each path a probe,
 * a health check or a scrape asks one the listener it asks serves. A renamed flag, variable or route
 * otherwise shows only when a replica will not start, or a probe restarts a healthy one.
 */
const ROOT = new URL('../../', import.meta.url).pathname;
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');
// Kubernetes reads YAML 1.1 (`defaultMode: 0440` is octal there).
const kubernetes = readdirSync(join(ROOT, 'deploy/k8s'))
  .filter((name) => name.endsWith('.yaml'))
  .flatMap((name) => parseAllDocuments(read(`deploy/k8s/${name}`), { version: '1.1' }).map((document) => document.toJS() as Record<string, unknown>));
type Container = {
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string }>;
} & Record<'readinessProbe' | 'livenessProbe' | 'startupProbe', { httpGet: { path: string; port: string | number } }>;
const deployment = kubernetes.find((document) => document.kind === 'Deployment') as {
  spec: { template: { metadata: { annotations: Record<string, string> }; spec: { containers: Container[] } } };
};
const container = deployment.spec.template.spec.containers[0]!;
const configMapConfig = (kubernetes.find((document) => document.kind === 'ConfigMap') as { data: Record<string, string> }).data['config.yaml']!;
const runtimeStage = read('Dockerfile').slice(read('Dockerfile').indexOf('AS runtime'));
const unit = read('deploy/systemd/backup-graph@.service');
const compose = parse(read('compose.yaml')) as { 'x-gateway': { environment: Record<string, string> }; services: { haproxy: { environment: Record<string, string> } } };
const HELP = usage(readSchemaText());

/** Every command that starts the gateway from dist/, as its words, with where it is written. */
function gatewayCommands(): Array<{ where: string; words: string[] }> {
  const commands = [
    { where: 'Dockerfile CMD', words: JSON.parse(/^CMD (\[.*\])$/m.exec(runtimeStage)![1]!) as string[] },
    { where: 'deploy/k8s Deployment args', words: container.args },
    { where: 'deploy/systemd ExecStart', words: /^ExecStart=(.*)$/m.exec(unit)![1]!.split(/\s+/) },
  ];
  // The plain-host commands written out in prose and comments: `... node --flag ... dist/main.js --config FILE`.
  for (const file of ['deploy/host.config.yaml', 'docs/operations.md']) {
    for (const [command] of read(file).matchAll(/\bnode (?:--\S+ )*dist\/main\.js(?: --[a-z-]+(?: [^\s`-]\S*)?)*/g)) commands.push({ where: file, words: command.split(' ') });
  }
  return commands;
}

describe('what the deployment files name is there', () => {
  it('passes dist/main.js only options --help lists, and node only flags node has', () => {
    const listed = new Set([...HELP.matchAll(/^ {2}(--[a-z-]+)/gm)].map(([, option]) => option!));
    const nodeFlags = `${spawnSync(process.execPath, ['--help'], { encoding: 'utf8' }).stdout}\n${spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout}`;
    const commands = gatewayCommands();
    expect(commands.length).toBeGreaterThanOrEqual(5);
    const wrong: string[] = [];
    for (const { where, words } of commands) {
      const script = words.indexOf('dist/main.js');
      expect(script, `${where}: ${words.join(' ')}`).toBeGreaterThan(0);
      for (const flag of words.slice(0, script).filter((word) => word.startsWith('--'))) {
        if (!new RegExp(`(?:^|\\s)${flag.split('=')[0]}(?=[\\s=]|$)`, 'm').test(nodeFlags)) wrong.push(`${where}: node ${flag}`);
      }
      for (const option of words.slice(script + 1).filter((word) => word.startsWith('--'))) if (!listed.has(option)) wrong.push(`${where}: ${option}`);
    }
    expect(wrong).toEqual([]);
  });

  it('sets only variables --help names, node and glibc read, or the config that deployment runs names as ${NAME} (or NAME_FILE)', () => {
    // What the runtime reads, not the gateway: npm start sets the same (docs/operations.md, "Start-up, memory, sizing").
    const RUNTIME = new Set(['NODE_ENV', 'NODE_OPTIONS', 'MALLOC_ARENA_MAX']);
    const inHelp = new Set([...HELP.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|PORT|HOST)\b/g)].map(([, name]) => name!));
    const configNames = (text: string) => new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map(([, name]) => name!));
    const deployments = [
      { where: 'Dockerfile ENV', config: new Set<string>(), set: [.../^ENV ((?:.*\\\n)*.*)$/m.exec(runtimeStage)![1]!.matchAll(/([A-Z_][A-Z0-9_]*)=/g)].map(([, name]) => name!) },
      { where: 'compose.yaml x-gateway', config: configNames(read('deploy/config.yaml')), set: Object.keys(compose['x-gateway'].environment) },
      { where: 'deploy/k8s Deployment', config: configNames(configMapConfig), set: container.env.map((variable) => variable.name) },
      {
        where: 'deploy/systemd',
        config: configNames(read('deploy/host.config.yaml')),
        set: [
          ...[...unit.matchAll(/^Environment=([A-Z_][A-Z0-9_]*)=/gm)].map(([, name]) => name!),
          ...readdirSync(join(ROOT, 'deploy/systemd'))
            .filter((name) => name.endsWith('.env'))
            .flatMap((name) => [...read(`deploy/systemd/${name}`).matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map(([, variable]) => variable!)),
        ],
      },
    ];
    const wrong: string[] = [];
    for (const { where, config, set } of deployments) {
      expect(set.length, where).toBeGreaterThan(1);
      for (const name of set) {
        if (!(RUNTIME.has(name) || inHelp.has(name) || config.has(name) || config.has(name.replace(/_FILE$/, '')))) wrong.push(`${where}: ${name}`);
      }
    }
    // HAProxy's variables, which compose sets for it: each one deploy/haproxy.cfg reads as "${NAME}" (or "${NAME-default}").
    const haproxyReads = new Set([...read('deploy/haproxy.cfg').matchAll(/"\$\{([A-Z_][A-Z0-9_]*)/g)].map(([, name]) => name!));
    for (const name of Object.keys(compose.services.haproxy.environment)) if (!haproxyReads.has(name)) wrong.push(`compose.yaml haproxy: ${name}`);
    expect(wrong).toEqual([]);
  });

  it('asks each listener only paths it serves: the probes, the HEALTHCHECK and HAProxy the public one, the scrape the admin one', () => {
    /** GET routes a source registers, less those that only say where the route is (a 404 pointing at the admin port). */
    const routes = (file: string) =>
      new Set(
        [...read(file).matchAll(/\.get\('(\/[^']*)', (?=([^\n]*\n[^\n]*))/g)].filter(([, , handler]) => !handler!.includes('status(404)')).map(([, path]) => path!),
      );
    const publicRoutes = routes('src/server/app.ts');
    const adminRoutes = routes('src/server/admin.ts');
    expect([...publicRoutes]).toEqual(expect.arrayContaining(['/healthz', '/readyz']));
    expect([...adminRoutes]).toEqual(expect.arrayContaining(['/readyz', '/metrics']));
    const portName = Object.fromEntries(container.ports.map((port) => [port.containerPort, port.name]));
    const listenerOf = (port: string | number) => (typeof port === 'number' ? portName[port] : port) === 'admin' ? adminRoutes : publicRoutes;
    const asked: Array<{ where: string; path: string; served: Set<string> }> = [
      { where: 'Dockerfile HEALTHCHECK', path: /HEALTHCHECK[\s\S]*?\+'(\/[^']*)'/.exec(runtimeStage)![1]!, served: publicRoutes },
      { where: 'deploy/haproxy.cfg httpchk', path: /^\s*option httpchk GET (\S+)$/m.exec(read('deploy/haproxy.cfg'))![1]!, served: publicRoutes },
      ...(['readinessProbe', 'livenessProbe', 'startupProbe'] as const).map((probe) => ({ where: `deploy/k8s ${probe}`, path: container[probe].httpGet.path, served: listenerOf(container[probe].httpGet.port) })),
    ];
    const annotations = deployment.spec.template.metadata.annotations;
    asked.push({ where: 'deploy/k8s prometheus.io/path', path: annotations['prometheus.io/path']!, served: listenerOf(Number(annotations['prometheus.io/port'])) });
    expect(asked.filter(({ path, served }) => !served.has(path)).map(({ where, path }) => `${where}: ${path}`)).toEqual([]);
  });
});
