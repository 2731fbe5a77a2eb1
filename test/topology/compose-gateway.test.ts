import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
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
 * What compose runs for a gateway, as plain commands (no container can be
 * built here): the Dockerfile's CMD and ENV, compose's environment for the
 * service, its secrets as files, and deploy/config.yaml. Only what needs a
 * container is moved: /run/secrets/ to a temporary directory, the listeners
 * to loopback and free ports, compose's `redis` host left out (REDIS_URL
 * changes nothing about secrets), ZOMRO_URL at the simulator.
 */
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const KEYS = { dashboard_key: 'dashboard-key-from-compose-secret-01', ops_key: 'ops-key-from-compose-secret-0000002' } as const;

/** compose's `${NAME:-default}` and `${NAME:?message}` against the host's environment. */
function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g, (_whole, name: string, kind: string | undefined, rest: string) => {
    const set = host[name];
    if (set !== undefined && set !== '') return set;
    if (kind === '-') return rest;
    throw new Error(`compose needs ${name} set on the host: ${rest}`);
  });
}

describe('compose\'s gateway, run as its commands', () => {
  const beside = builtGatewayBesideZomro();

  it('starts from secret files alone and serves with the keys and the provider session they hold, quoting none', async () => {
    const compose = parse(read('compose.yaml')) as { services: Record<string, { environment: Record<string, string>; secrets: string[] }> };
    const service = compose.services['gateway-1'];
    if (!service) throw new Error('compose.yaml has no gateway-1');
    const secretsDir = temp.make('bg-compose-secrets-');
    // As `printf %s ... > secrets/<name>` or an editor leaves them: an editor's newline is removed.
    const values: Record<string, string> = { ...KEYS, zomro_session: ZOMRO_SIM_TOKEN };
    for (const secret of service.secrets) writeFileSync(join(secretsDir, secret), `${values[secret] ?? `no value for ${secret}`}\n`);

    const host = { ZOMRO_URL: beside.simulator().url };
    const environment = Object.fromEntries(
      Object.entries(service.environment)
        .filter(([name]) => name !== 'REDIS_URL')
        .map(([name, value]) => [name, interpolate(value, host).replace(/^\/run\/secrets\//, `${secretsDir}/`)]),
    );
    // No secret reaches the container's environment (docker inspect, /proc/<pid>/environ).
    for (const value of Object.values(environment)) for (const secret of Object.values(values)) expect(value).not.toContain(secret);

    const config = parse(read('deploy/config.yaml')) as Record<string, unknown>;
    const configFile = join(secretsDir, 'config.yaml');
    writeFileSync(configFile, stringify({ ...config, admin: { host: '127.0.0.1', port: 0 } }));
    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(read('Dockerfile'))?.[1] ?? '[]') as string[];
    expect(cmd[0]).toBe('node');
    const args = cmd.slice(1).map((arg) => (arg === '/etc/backup-graph/config.yaml' ? configFile : arg));
    const gateway = beside.track(start(process.execPath, args, shellEnv({ ...dockerfileEnv(), ...environment, PORT: '0', HOST: '127.0.0.1', LOG_FORMAT: 'json' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    // The image's ENV MALLOC_ARENA_MAX=2 reaches the container's gateway: compose sets no other (docs/operations.md, "Start-up, memory, sizing").
    expect(environOf(gateway.child.pid).MALLOC_ARENA_MAX).toBe('2');

    await expectEachKeyServed(graphqlUrl, Object.values(KEYS));
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    for (const secret of Object.values(values)) expect(gateway.output()).not.toContain(secret);
  }, 120_000);
});
