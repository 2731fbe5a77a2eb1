import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start } from './process.js';

/**
 * A start with `HOST=0.0.0.0` logged only `http://127.0.0.1:PORT`: an operator read a gateway
 * reachable from this machine alone, when it took connections on every interface. The banner
 * names the address bound (and says when it is every interface) beside the URL to open here.
 * The compiled gateway (dist/), as deployed.
 */
interface Banner {
  msg: string;
  url: string;
  listen: string;
  adminUrl: string;
  adminListen: string;
  build?: string;
}

describe('the start-up banner names the address the gateway listens on', () => {
  const built = builtGatewayBesideZomro();
  let directory: string;
  let configFile: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-listen-banner-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0 }, admin: { port: 0, host: '0.0.0.0' }, allowAnonymous: true, anonymousRole: 'viewer', providers: [built.simulator().accountConfig('zomro')] }));
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function banner(host: string): Promise<Banner> {
    const gateway = built.track(start(process.execPath, ['dist/main.js', '--config', configFile], shellEnv({ HOST: host, PORT: '0', LOG_FORMAT: 'json' })));
    const line = (await gateway.waitFor(/^\{.*"msg":"Backup Graph ready.*$/m))[0];
    return JSON.parse(line) as Banner;
  }

  it('HOST=0.0.0.0: all interfaces and the address bound, with a loopback URL that answers', async () => {
    const shown = await banner('0.0.0.0');
    const port = new URL(shown.url).port;
    expect(shown.msg).toContain(`; listening on all interfaces (0.0.0.0:${port}); GraphiQL: http://127.0.0.1:${port}/graphql`);
    expect(shown.listen).toBe(`0.0.0.0:${port}`);
    expect(shown.url).toBe(`http://127.0.0.1:${port}/graphql`);
    expect(shown.adminListen).toBe(`0.0.0.0:${new URL(shown.adminUrl).port}`);
    expect(new URL(shown.adminUrl).hostname).toBe('127.0.0.1');
    expect((await fetch(shown.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ providers { id } }"}' })).status).toBe(200);
  }, 60_000);

  it('HOST=127.0.0.1: that address, not all interfaces', async () => {
    const shown = await banner('127.0.0.1');
    const port = new URL(shown.url).port;
    expect(shown.msg).toContain(`; listening on 127.0.0.1:${port}; GraphiQL: http://127.0.0.1:${port}/graphql`);
    expect(shown.msg).not.toContain('all interfaces');
    expect(shown.listen).toBe(`127.0.0.1:${port}`);
  }, 60_000);

  it("names the build the replica runs, as /metrics's backup_graph_build_info does: a rollout's log tells which replicas came up on the new build", async () => {
    const shown = await banner('127.0.0.1');
    const metrics = await (await fetch(`${shown.adminUrl}/metrics`)).text();
    const exported = /^backup_graph_build_info\{build="([^"]+)"\} 1$/m.exec(metrics)?.[1];
    expect(exported).toMatch(/^[0-9a-f]{8,}$/);
    expect(shown.build).toBe(exported);
  }, 60_000);
});
