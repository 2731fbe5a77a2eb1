import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { substituteEnv, validateConfig } from '../../src/config/load.js';
import { startGatewayServer } from '../../src/server/app.js';

/** The deployment files (deploy/, compose.yaml, Dockerfile) read as a deployer's tools would, key fields checked. */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

type Doc = Record<string, unknown>;
/** A value inside parsed YAML by dotted path (`spec.containers.0.image`); undefined when absent. */
const get = (value: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), value);
const yamlFiles = (directory: string): string[] =>
  readdirSync(join(ROOT, directory), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? yamlFiles(join(directory, entry.name)) : /\.ya?ml$/.test(entry.name) ? [join(directory, entry.name)] : [],
  );
// Kubernetes manifests as kubectl reads them: YAML 1.1, where a leading 0 is octal (`defaultMode: 0440`).
const documents = (path: string): Doc[] =>
  parseAllDocuments(read(path), path.startsWith('deploy/k8s/') ? { version: '1.1' } : {}).map((document) => {
    expect(document.errors, path).toEqual([]);
    return document.toJS() as Doc;
  });
const kubernetes = yamlFiles('deploy/k8s').flatMap(documents);
const ofKind = (kind: string): Doc => {
  const found = kubernetes.find((document) => document.kind === kind);
  expect(found, kind).toBeDefined();
  return found as Doc;
};
/** Every ${NAME} given a value, so a config validates as the gateway would load it. */
const withDummySecrets = (config: unknown) => {
  const names = [...JSON.stringify(config).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] as string);
  const env = Object.fromEntries(names.map((name) => [name, name.endsWith('URL') ? 'https://provider.example/' : `${name.toLowerCase()}-0123456789abcdef`]));
  const problems: string[] = [];
  const substituted = substituteEnv(config, env, problems);
  expect(problems).toEqual([]);
  return substituted;
};

/** A GET with the Host header a scraper sends (fetch cannot set Host): its status and text. */
function getAt(url: string, path: string, host: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path, method: 'GET', headers: { host } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

describe('deployment files', () => {
  it('parses every YAML file in deploy/ and compose.yaml', () => {
    const files = [...yamlFiles('deploy'), 'compose.yaml'];
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const file of files) expect(documents(file).length, file).toBeGreaterThan(0);
  });

  it('ships configs the gateway accepts (compose and the ConfigMap)', () => {
    const compose = validateConfig(withDummySecrets(parse(read('deploy/config.yaml'))));
    expect(compose.shutdown.readyzGraceMs).toBeGreaterThan(0);
    // HAProxy's X-Forwarded-For is believed from compose's private network only.
    expect(compose.listen.trustedProxies).toEqual(['uniquelocal']);
    // Replaced, not appended: a client's own header never reaches the gateway.
    expect(read('deploy/haproxy.cfg')).toMatch(/^\s*http-request set-header X-Forwarded-For %\[src\]$/m);
    expect(read('deploy/haproxy.cfg')).not.toMatch(/option forwardfor/);
    const fromMap = validateConfig(withDummySecrets(parse((get(ofKind('ConfigMap'), 'data') as Record<string, string>)['config.yaml'] as string)));
    expect(fromMap.listen).toEqual({ port: 4000, host: '0.0.0.0', trustedProxies: [], allowedHosts: [] });
    // The README's alert rules read the sweep's gauges: off, ProtectionSweepStopped fires for good
    // (absent timestamp) and no protection alert can; on, well inside that alert's hour.
    for (const config of [compose, fromMap]) {
      expect(config.protection.sweepIntervalMs).toBeGreaterThan(0);
      expect(config.protection.sweepIntervalMs).toBeLessThanOrEqual(15 * 60_000);
    }
  });

  it('has a Deployment with readiness on /readyz, liveness on /healthz, a preStop sleep and room to drain', () => {
    const deployment = ofKind('Deployment');
    const spec = get(deployment, 'spec.template.spec');
    const container = get(spec, 'containers.0');
    expect(get(deployment, 'spec.replicas')).toBeGreaterThanOrEqual(2);
    expect(get(deployment, 'spec.strategy.rollingUpdate.maxUnavailable')).toBe(0);
    expect(get(container, 'readinessProbe.httpGet.path')).toBe('/readyz');
    expect(get(container, 'livenessProbe.httpGet.path')).toBe('/healthz');
    expect(get(container, 'lifecycle.preStop.exec.command')).toEqual(['sleep', '5']);
    expect(get(spec, 'terminationGracePeriodSeconds')).toBeGreaterThan(5 + 30);
    // The gateway's own drain is the 30 s the grace period budgets for (its default, 10 s, cut such a request).
    const fromMap = validateConfig(withDummySecrets(parse((get(ofKind('ConfigMap'), 'data') as Record<string, string>)['config.yaml'] as string)));
    expect(fromMap.shutdown.drainTimeoutMs).toBe(30_000);
    expect(5 + fromMap.shutdown.drainTimeoutMs / 1000).toBeLessThan(get(spec, 'terminationGracePeriodSeconds') as number);
    expect(get(spec, 'securityContext.runAsNonRoot')).toBe(true);
    const env = get(container, 'env') as Doc[];
    expect(env.find((variable) => variable.name === 'REDIS_URL_FILE')).toEqual({ name: 'REDIS_URL_FILE', value: '/run/secrets/backup-graph/redis-url' });
    expect(get(container, 'volumeMounts.0.mountPath')).toBe('/etc/backup-graph');
    expect(get(spec, 'volumes.0.configMap.name')).toBe(get(ofKind('ConfigMap'), 'metadata.name'));
  });

  it('has a PodDisruptionBudget and a Service that select the Deployment’s pods', () => {
    const labels = get(ofKind('Deployment'), 'spec.template.metadata.labels');
    expect(labels).toEqual(get(ofKind('Deployment'), 'spec.selector.matchLabels'));
    expect(ofKind('PodDisruptionBudget')).toMatchObject({ apiVersion: 'policy/v1', spec: { minAvailable: 1, selector: { matchLabels: labels } } });
    expect(ofKind('Service')).toMatchObject({ spec: { selector: labels, ports: [{ targetPort: 'http' }] } });
  });

  it('runs two replicas, Redis and HAProxy in compose, with the same haproxy.cfg the topology test uses', () => {
    const compose = documents('compose.yaml')[0];
    for (const name of ['gateway-1', 'gateway-2']) {
      expect(get(compose, `services.${name}.environment.REDIS_URL`)).toBe('redis://redis:6379');
      expect(get(compose, `services.${name}.volumes`)).toContain('./deploy/config.yaml:/etc/backup-graph/config.yaml:ro');
    }
    expect(get(compose, 'services.redis.image')).toMatch(/^redis:/);
    expect(get(compose, 'services.haproxy.volumes')).toContain('./deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro');
    expect(get(compose, 'services.haproxy.environment')).toMatchObject({ GATEWAY_1: 'gateway-1:4000', GATEWAY_2: 'gateway-2:4000' });
    const haproxy = read('deploy/haproxy.cfg');
    expect(haproxy).toMatch(/option httpchk GET \/readyz/);
    expect(haproxy).toMatch(/option redispatch/);
    expect(haproxy).toMatch(/retry-on conn-failure/);
  });

  it("keeps HAProxy's stats page on loopback unless told otherwise: the plain-host steps start HAProxy without HAPROXY_STATS", () => {
    // The page has no login and names every replica's address and health; its default bound every interface of the host.
    const statsBind = /^listen stats\n\s*bind "\$\{HAPROXY_STATS-([^}]*)\}"$/m.exec(read('deploy/haproxy.cfg'))?.[1];
    expect(statsBind).toMatch(/^127\.0\.0\.1:\d+$/);
    // compose binds it inside the container on every interface, published on the host's loopback alone.
    const compose = documents('compose.yaml')[0];
    expect(get(compose, 'services.haproxy.environment.HAPROXY_STATS')).toBe(':8404');
    expect(get(compose, 'services.haproxy.ports')).toContain('127.0.0.1:8404:8404');
  });

  it('builds the image in two stages as the tests run it: npm ci, npm run build, npm ci --omit=dev, non-root, health check, SIGTERM', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20-slim AS build$/m);
    expect(dockerfile).toMatch(/^FROM node:20-slim AS runtime$/m);
    const build = dockerfile.slice(0, dockerfile.indexOf('AS runtime'));
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
    expect(build).toMatch(/RUN npm ci\b/);
    expect(build).toMatch(/RUN npm run build/);
    expect(runtime).toMatch(/RUN npm ci --omit=dev/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/HEALTHCHECK[\s\S]*\/healthz/);
    expect(runtime).toMatch(/^STOPSIGNAL SIGTERM$/m);
    expect(runtime).toMatch(/^CMD \["node", (?:"--[^"]+", )*"dist\/main.js", "--config", "\/etc\/backup-graph\/config.yaml"\]$/m);
  });

  it('keeps the files the README has real keys written into (.gitignore\'s) out of the image\'s build context', () => {
    // `docker compose up --build` sends the directory beside compose.yaml to the builder: secrets/ and the
    // configs the README has you write are in it unless .dockerignore names them.
    const keyFiles = ['secrets', 'backup-graph.yaml', 'sims.yaml'];
    for (const file of keyFiles) expect(read('.gitignore').split('\n').map((line) => line.replace(/^\/|\/$/g, '')), file).toContain(file);
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim().replace(/^\/|\/$/g, ''));
    expect(keyFiles.filter((file) => !ignored.includes(file))).toEqual([]);
  });

  it('runs node with npm start\'s V8 flags in the container and in the Deployment (memory is sized with them)', () => {
    const manifest = JSON.parse(read('package.json')) as { scripts: { start: string } };
    const flagsBefore = (words: readonly string[]) => words.slice(words.indexOf('node') + 1, words.indexOf('dist/main.js'));
    const startFlags = flagsBefore(manifest.scripts.start.split(/\s+/));
    expect(startFlags).toContain('--max-semi-space-size=4');
    expect(startFlags).toContain('--initial-old-space-size=32');
    const runtime = read('Dockerfile').slice(read('Dockerfile').indexOf('AS runtime'));
    const nodeOptions = (/NODE_OPTIONS=(\S+)/.exec(runtime)?.[1] ?? '').split(/\s+/).filter(Boolean);
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? '[]') as string[];
    expect([...nodeOptions, ...flagsBefore(cmd)].sort()).toEqual([...startFlags].sort());
    const args = get(ofKind('Deployment'), 'spec.template.spec.containers.0.args') as string[];
    expect([...nodeOptions, ...flagsBefore(args)].sort()).toEqual([...startFlags].sort());
  });
});

/**
 * glibc reads MALLOC_ARENA_MAX only as a process starts, so it is in every way the gateway is started
 * (why: the Dockerfile's runtime ENV; docs/operations.md, "Start-up, memory, sizing"). The topology
 * tests read it back from each started gateway's /proc/<pid>/environ; these check each file says so.
 */
describe('MALLOC_ARENA_MAX=2 in every way the gateway is started', () => {
  // sh's own default: a value the operator set is kept.
  const ASSIGNED = 'MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}';
  const runtime = read('Dockerfile').slice(read('Dockerfile').indexOf('AS runtime'));

  it('npm start assigns it before exec node, keeping a value already set', () => {
    const manifest = JSON.parse(read('package.json')) as { scripts: { start: string } };
    expect(manifest.scripts.start.startsWith(`${ASSIGNED} exec node `)).toBe(true);
  });

  it('the image sets it in its runtime ENV, which compose and the Deployment run without setting another', () => {
    const block = /^ENV ((?:.*\\\n)*.*)$/m.exec(runtime)?.[1] ?? '';
    expect(block).toMatch(/^\s*MALLOC_ARENA_MAX=2\b/m);
    const compose = parse(read('compose.yaml')) as { 'x-gateway': { environment: Record<string, string> } };
    expect(compose['x-gateway'].environment.MALLOC_ARENA_MAX).toBeUndefined();
    const env = get(ofKind('Deployment'), 'spec.template.spec.containers.0.env') as Array<{ name: string }>;
    expect(env.map((variable) => variable.name)).not.toContain('MALLOC_ARENA_MAX');
  });

  it('the systemd unit sets it with Environment=, which its EnvironmentFiles can override', () => {
    const unit = read('deploy/systemd/backup-graph@.service');
    expect(unit).toMatch(/^Environment=MALLOC_ARENA_MAX=2$/m);
    // systemd lets an EnvironmentFile override Environment=: both must stay in [Service], the line before the files.
    expect(unit.indexOf('Environment=MALLOC_ARENA_MAX=2')).toBeLessThan(unit.indexOf('EnvironmentFile='));
  });

  it('every plain-host command that starts node in deploy/host.config.yaml and docs/operations.md assigns it first', () => {
    const commands = [read('deploy/host.config.yaml'), read('docs/operations.md')].flatMap((text) => text.split('\n').filter((line) => /\bnode --\S+ .*dist\/main\.js --config/.test(line) && !line.includes('`')));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const command of commands) expect(command, command).toContain(`${ASSIGNED} node `);
  });
});

/** The Deployment read against the gateway itself: what its probes ask, what its env sets, where it mounts. */
describe('the Kubernetes manifests against the gateway', () => {
  const deployment = ofKind('Deployment');
  const container = get(deployment, 'spec.template.spec.containers.0') as Doc;
  const configText = (get(ofKind('ConfigMap'), 'data') as Record<string, string>)['config.yaml'] as string;
  const ports = Object.fromEntries((get(container, 'ports') as Array<{ name: string; containerPort: number }>).map((port) => [port.name, port.containerPort]));
  const env = get(container, 'env') as Array<{ name: string; value?: string; valueFrom?: Doc }>;
  const runtime = read('Dockerfile').slice(read('Dockerfile').indexOf('AS runtime'));
  const mounts = get(container, 'volumeMounts') as Array<{ name: string; mountPath: string; readOnly?: boolean }>;
  const volumes = get(deployment, 'spec.template.spec.volumes') as Array<{ name: string; secret?: { secretName: string; defaultMode?: number; items?: unknown } }>;
  const secretName = get(ofKind('Secret'), 'metadata.name') as string;
  const secretKeys = Object.keys(get(ofKind('Secret'), 'stringData') as Record<string, string>);
  /** The Secret's key a NAME_FILE path reads: a file of a mount of the Secret's volume (one file per key, no `items` renaming them). */
  const secretKeyAt = (variable: string, path: string | undefined): string | undefined => {
    const mount = mounts.find((entry) => path?.startsWith(`${entry.mountPath}/`));
    expect(mount, `${variable} (${path}) names a file in a volume the container mounts`).toBeDefined();
    const volume = volumes.find((entry) => entry.name === mount?.name);
    expect(volume?.secret?.secretName, `${variable} (${path}) names a file of the Secret's volume`).toBe(secretName);
    expect(volume?.secret?.items, `${mount?.name}: every key a file of its own name`).toBeUndefined();
    const key = path?.slice((mount?.mountPath.length ?? 0) + 1);
    expect(secretKeys, `${variable} (${path}) names a key of the example Secret`).toContain(key);
    return key;
  };

  it('listens where the probes and the scrape look: the image’s PORT on the http port, the config’s admin port on the admin port and annotation', () => {
    const config = validateConfig(withDummySecrets(parse(configText)));
    // The image's PORT overrides listen.port: both must be the http port, or the probes ask a closed one.
    expect(Number(/^\s*PORT=(\d+)/m.exec(runtime)?.[1])).toBe(ports.http);
    expect(config.listen.port).toBe(ports.http);
    expect(config.admin.port).toBe(ports.admin);
    expect(config.admin.host).toBe('0.0.0.0');
    const annotations = get(deployment, 'spec.template.metadata.annotations') as Record<string, string>;
    expect(Number(annotations['prometheus.io/port'])).toBe(ports.admin);
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(get(container, `${probe}.httpGet.port`), probe).toBe('http');
    // A busy replica is not a dead one: no probe gives up sooner than HAProxy's check (Kubernetes' default is 1 s).
    const haproxyCheckSeconds = Number(/^\s*timeout check (\d+)s$/m.exec(read('deploy/haproxy.cfg'))?.[1]);
    expect(haproxyCheckSeconds).toBeGreaterThanOrEqual(2);
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(get(container, `${probe}.timeoutSeconds`), probe).toBeGreaterThanOrEqual(haproxyCheckSeconds);
  });

  it('sets every variable its config names, by value or as a file of the Secret the example Secret has the key of, and none the gateway does not read', () => {
    const named = [...JSON.stringify(parse(configText)).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] as string);
    const set = env.map((variable) => variable.name);
    // Unset and given no file, `${NAME}` stops the start (exit 2); both set is refused too.
    for (const name of named) expect([set.includes(name), set.includes(`${name}_FILE`)], `${name}: set, or given a file by ${name}_FILE (one of the two)`).toSatisfy(([direct, file]: boolean[]) => direct !== file);
    // Every NAME_FILE reads a key of the Secret, and every key of it is read: the example Secret lists what to create.
    const keysRead = env.filter((variable) => variable.name.endsWith('_FILE')).map((variable) => secretKeyAt(variable.name, variable.value));
    expect([...keysRead].sort()).toEqual([...secretKeys].sort());
    const sources = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    // `env.NAME`, and `envValue('NAME', env)`, which reads NAME or NAME_FILE.
    const readByGateway = new Set(
      sources.flatMap((name) => {
        const text = readFileSync(join(ROOT, 'src', name), 'utf8');
        const direct = [...text.matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] as string);
        const orFile = [...text.matchAll(/\benvValue\('([A-Z][A-Z0-9_]*)'/g)].flatMap((match) => [match[1] as string, `${match[1] as string}_FILE`]);
        return [...direct, ...orFile];
      }),
    );
    // Set as NAME, or as NAME_FILE (the Secret's files).
    const namedByConfig = (name: string) => named.includes(name) || named.includes(name.replace(/_FILE$/, ''));
    for (const name of set) expect(readByGateway.has(name) || namedByConfig(name), `${name} is neither read by the gateway nor named in its config`).toBe(true);
    // compose's gateways and deploy/config.yaml likewise (the config's values: its comments say ${NAME} too).
    const composeNamed = [...JSON.stringify(parse(read('deploy/config.yaml'))).matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] as string);
    const composeSet = Object.keys(get(documents('compose.yaml')[0], 'services.gateway-1.environment') as Record<string, string>);
    // Set as NAME, or as NAME_FILE (compose's secrets: see the next test).
    const namedByCompose = (name: string) => composeNamed.includes(name) || composeNamed.includes(name.replace(/_FILE$/, ''));
    for (const name of composeNamed) expect(composeSet.includes(name) || composeSet.includes(`${name}_FILE`), `compose: ${name}`).toBe(true);
    for (const name of composeSet) expect(readByGateway.has(name) || namedByCompose(name), `compose: ${name} is neither read by the gateway nor named in its config`).toBe(true);
  });

  it('hands the gateway every secret as a file of the Secret\'s read-only volume, none in its environment, readable by the pod\'s user', () => {
    // `kubectl describe`, /proc/<pid>/environ, crash dumps and child processes show an environment.
    for (const variable of env) expect(variable.valueFrom, `${variable.name} from a Secret or ConfigMap by value`).toBeUndefined();
    expect(env.map((variable) => variable.name)).toEqual(expect.arrayContaining(['REDIS_URL_FILE', 'DASHBOARD_KEY_FILE', 'OPS_KEY_FILE', 'ZOMRO_SESSION_FILE']));
    const volume = volumes.find((entry) => entry.secret?.secretName === secretName);
    const mount = mounts.find((entry) => entry.name === volume?.name);
    expect(mount?.readOnly).toBe(true);
    // The files are root's. The gateway runs as another user: it reads them through the fsGroup (the
    // group Kubernetes gives them, with read); no one else may.
    const pod = get(deployment, 'spec.template.spec.securityContext') as { runAsUser?: number; fsGroup?: number };
    expect(pod.runAsUser).toBeGreaterThan(0);
    expect(pod.fsGroup).toBeGreaterThan(0);
    const mode = volume?.secret?.defaultMode ?? 0o644;
    expect(mode & 0o040, 'group read').toBe(0o040);
    expect(mode & 0o007, 'others nothing').toBe(0);
  });

  it('hands compose\'s gateways every client key and provider credential as a secret file, none in their environment', () => {
    const compose = documents('compose.yaml')[0];
    const config = parse(read('deploy/config.yaml')) as { clients: Array<{ key: string }>; providers: Array<{ auth: Record<string, string> }> };
    // The values that are secrets: clients' keys and providers' auth; a URL is not one.
    const secretValues = [...config.clients.map((client) => client.key), ...config.providers.flatMap((provider) => Object.values(provider.auth))];
    const secretNames = secretValues.flatMap((value) => [...value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((match) => match[1] as string));
    expect(secretNames.length).toBeGreaterThanOrEqual(3);
    const declared = get(compose, 'secrets') as Record<string, { file?: string }>;
    for (const service of ['gateway-1', 'gateway-2']) {
      const environment = get(compose, `services.${service}.environment`) as Record<string, string>;
      const mounted = get(compose, `services.${service}.secrets`) as string[];
      for (const name of secretNames) {
        expect(environment[name], `${service}: ${name} by value`).toBeUndefined();
        const path = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(environment[`${name}_FILE`] ?? '');
        expect(path, `${service}: ${name}_FILE names /run/secrets/<secret>`).not.toBeNull();
        const secret = path?.[1] as string;
        expect(mounted, `${service}: mounts ${secret}`).toContain(secret);
        // A file beside compose.yaml, under the directory git ignores.
        expect(declared[secret]?.file, secret).toBe(`./secrets/${secret}`);
      }
    }
    expect(read('.gitignore').split('\n')).toContain('/secrets/');
  });

  it('has a NetworkPolicy that opens the http port to the cluster and the admin port (0.0.0.0 in the ConfigMap) to Prometheus only', () => {
    const policy = ofKind('NetworkPolicy');
    expect(get(policy, 'apiVersion')).toBe('networking.k8s.io/v1');
    expect(get(policy, 'spec.podSelector.matchLabels')).toEqual(get(deployment, 'spec.template.metadata.labels'));
    expect(get(policy, 'spec.policyTypes')).toEqual(['Ingress']);
    const portNames = new Map((get(container, 'ports') as Array<{ name: string; containerPort: number }>).map((port) => [port.name, port.containerPort]));
    const rules = get(policy, 'spec.ingress') as Array<{ from?: Doc[]; ports: Array<{ port: string; protocol: string }> }>;
    const rulesFor = (name: string) => rules.filter((rule) => rule.ports.some((port) => port.port === name && port.protocol === 'TCP'));
    // Every port it names is one the container has; the probes' port open to all, the admin port behind a `from`.
    for (const rule of rules) for (const port of rule.ports) expect(portNames.has(port.port), port.port).toBe(true);
    expect(rulesFor('http').some((rule) => rule.from === undefined)).toBe(true);
    const admin = rulesFor('admin');
    expect(admin.length).toBeGreaterThan(0);
    for (const rule of admin) {
      expect(rule.from?.length, 'admin: a from').toBeGreaterThan(0);
      // Namespace and pod selector in one element: Prometheus's pods in its namespace, not either alone.
      for (const peer of rule.from ?? []) expect(Object.keys(peer).sort()).toEqual(['namespaceSelector', 'podSelector']);
    }
    expect(JSON.parse(JSON.stringify(parse(configText))).admin.host).toBe('0.0.0.0');
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) expect(get(container, `${probe}.httpGet.port`), probe).toBe('http');
    // Left for the operator to enable once its selectors name their Prometheus: shown, commented, in the kustomization.
    expect(read('deploy/k8s/kustomization.yaml')).toMatch(/^\s*# - networkpolicy\.yaml\b/m);
  });

  it('mounts the ConfigMap where its command reads the config', () => {
    const args = get(container, 'args') as string[];
    const configPath = args[args.indexOf('--config') + 1] as string;
    const mount = (get(container, 'volumeMounts') as Array<{ name: string; mountPath: string }>).find((volume) => configPath.startsWith(`${volume.mountPath}/`));
    expect(mount, configPath).toBeDefined();
    const volume = (get(deployment, 'spec.template.spec.volumes') as Array<{ name: string; configMap?: { name: string } }>).find((entry) => entry.name === mount?.name);
    expect(volume?.configMap?.name).toBe(get(ofKind('ConfigMap'), 'metadata.name'));
    expect(Object.keys(get(ofKind('ConfigMap'), 'data') as Record<string, string>)).toContain(configPath.slice((mount?.mountPath.length ?? 0) + 1));
  });

  it('answers the probes’ paths 200 on the public listener and the scrape’s path on the admin listener, from the ConfigMap’s config', async () => {
    const config = validateConfig(withDummySecrets(parse(configText)));
    // Loopback and free ports here; everything else as the pod runs it.
    const gateway = await startGatewayServer({ ...config, listen: { ...config.listen, port: 0, host: '127.0.0.1' }, admin: { ...config.admin, port: 0, host: '127.0.0.1' }, protection: { ...config.protection, sweepIntervalMs: 0 } }, { logger: pino({ level: 'silent' }) });
    try {
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
        const response = await fetch(`${gateway.url}${get(container, `${probe}.httpGet.path`) as string}`);
        expect(response.status, probe).toBe(200);
      }
      // Prometheus's pod discovery (these annotations) scrapes the pod's address: that is the Host it
      // sends, answered without admin.allowedHosts (a name it does not list would be 403).
      const annotations = get(deployment, 'spec.template.metadata.annotations') as Record<string, string>;
      const scrape = await getAt(gateway.adminUrl, annotations['prometheus.io/path'] as string, `10.244.1.7:${annotations['prometheus.io/port'] as string}`);
      expect(scrape.status).toBe(200);
      expect(scrape.text).toMatch(/^# TYPE backup_graph_/m);
    } finally {
      await gateway.close();
    }
  });
});

/** compose's gateways as a Prometheus on compose's network scrapes them: by service name. */
describe('compose\'s config against the gateway', () => {
  it('answers /metrics and the detailed /readyz at each gateway service\'s name and admin port (the admin listener refuses unlisted names)', async () => {
    const config = validateConfig(withDummySecrets(parse(read('deploy/config.yaml'))));
    const services = Object.keys(get(documents('compose.yaml')[0], 'services') as Doc).filter((name) => /^gateway-\d+$/.test(name));
    expect(services).toEqual(['gateway-1', 'gateway-2']);
    const gateway = await startGatewayServer({ ...config, listen: { ...config.listen, port: 0, host: '127.0.0.1' }, admin: { ...config.admin, port: 0, host: '127.0.0.1' }, protection: { ...config.protection, sweepIntervalMs: 0 } }, { logger: pino({ level: 'silent' }) });
    try {
      for (const service of services) {
        const scrape = await getAt(gateway.adminUrl, '/metrics', `${service}:${config.admin.port}`);
        expect(scrape.status, service).toBe(200);
        expect(scrape.text).toMatch(/^# TYPE backup_graph_/m);
        expect((await getAt(gateway.adminUrl, '/readyz', `${service}:${config.admin.port}`)).status, service).toBe(200);
      }
      // Listed names only: another site's name pointed at the gateway is still refused.
      expect((await getAt(gateway.adminUrl, '/metrics', `rebind.attacker.example:${config.admin.port}`)).status).toBe(403);
    } finally {
      await gateway.close();
    }
  });
});
