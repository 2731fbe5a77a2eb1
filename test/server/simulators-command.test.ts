import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateConfig } from '../../src/config/load.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { SIMULATORS_READY } from '../../src/server/simulators-only.js';
import { portClosed, shellEnv, start, type Spawned } from './process.js';

/** `npm start -- --simulators`: the simulators alone, and a config for them that a gateway runs as printed. */
describe('--simulators', () => {
  let simulators: Spawned | undefined;
  let gateway: RunningGateway | undefined;
  const sideBySide: RunningGateway[] = [];
  afterAll(async () => {
    await gateway?.close();
    await Promise.all(sideBySide.map((running) => running.close()));
    simulators?.kill();
  });

  it('prints a valid config whose providers answer a gateway, with its client keys and roles, and stops on SIGINT', async () => {
    simulators = start(process.execPath, ['--import', 'tsx', 'src/main.ts', '--simulators'], shellEnv({}));
    await simulators.waitFor(new RegExp(SIMULATORS_READY.replace(/[()]/g, '\\$&')));
    const draft = parse(simulators.output()) as Record<string, unknown>;
    const config = validateConfig({ ...draft, listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0, host: '127.0.0.1' } });
    expect(config.providers.map((provider) => provider.kind)).toEqual(['zomro', 'onapp', 'zstack', 'danube']);
    gateway = await startGatewayServer(config, { logger: pino({ level: 'silent' }) });
    const ask = (key: string | null, query: string) =>
      fetch(gateway!.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify({ query }) }).then(
        async (response) => ({ status: response.status, body: (await response.json()) as { data?: { providers: Array<{ health: string }>; instances: { totalCount: number; providerErrors: unknown[] } }; errors?: Array<{ extensions?: { code?: string } }> } }),
      );
    const dashboard = await ask('local-viewer-key-change-me', '{ providers { health } instances { totalCount providerErrors { code } } }');
    expect(dashboard.body.errors).toBeUndefined();
    expect(dashboard.body.data?.providers.map((provider) => provider.health)).toEqual(['UP', 'UP', 'UP', 'UP']);
    expect(dashboard.body.data?.instances.providerErrors).toEqual([]);
    expect(dashboard.body.data?.instances.totalCount).toBeGreaterThan(4);
    // Config mode: no key, no answer; the viewer may not write.
    expect((await ask(null, '{ providers { id } }')).status).toBe(401);
    const write = await ask('local-viewer-key-change-me', 'mutation { syncBackups(input: { providerId: "zstack-sim" }) { operation { id } } }');
    expect(write.body.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);

    // Two gateways from the file as printed, each with a PORT of its own (the README's way to run
    // two): the printed admin port must not be one both take (it was 9464, so the second failed).
    expect(draft.admin).toEqual({ port: 0, host: '127.0.0.1' });
    for (let replica = 0; replica < 2; replica++) {
      sideBySide.push(await startGatewayServer(validateConfig({ ...draft, listen: { ...(draft.listen as object), port: 0 } }), { logger: pino({ level: 'silent' }) }));
    }
    expect(new Set(sideBySide.map((running) => running.adminUrl)).size).toBe(2);

    const zomroUrl = config.providers[0]!.url;
    simulators.child.kill('SIGINT');
    expect(await simulators.exited).toEqual({ code: 0, signal: null });
    expect(await portClosed(zomroUrl)).toBe(true);
  });
});
