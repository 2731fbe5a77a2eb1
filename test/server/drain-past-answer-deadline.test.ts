import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from './built-gateway-beside-zomro.js';
import { shellEnv, start } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';

/**
 * A request whose work is lost held SIGTERM's drain until the drain timeout cut it (exit 1, an
 * on-call paged for a routine rollout). The compiled gateway (dist/), as deployed, stopped while
 * Zomro holds the request's read far past limits.answerDeadlineMs (1 s) and the drain timeout is
 * 20 s: the deadline answers the request, and the drain ends with nothing cut, the read still held.
 */
describe("SIGTERM's drain and a request past its answer deadline", () => {
  const built = builtGatewayBesideZomro();

  it('the deadline answers the request 504 during the drain, which then ends with exit 0, nothing cut, the provider still holding the read', async () => {
    const account = { ...built.simulator().accountConfig('zomro'), timeoutMs: 60_000, retries: 0 };
    const path = join(temp.make('bg-drain-deadline-'), 'config.yaml');
    writeFileSync(
      path,
      JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, admin: { port: 0 }, allowAnonymous: true, anonymousRole: 'viewer', limits: { answerDeadlineMs: 1_000 }, shutdown: { drainTimeoutMs: 20_000, readyzGraceMs: 0 }, providers: [account] }),
    );
    const gateway = built.track(start(process.execPath, ['dist/main.js', '--config', path], shellEnv({ PORT: '0', LOG_FORMAT: 'json' })));
    const graphqlUrl = (await gateway.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
    const hold = built.simulator().server.holdAnswersOf('instances');
    try {
      const answer = fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: INSTANCES }) }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> },
      }));
      await hold.arrived;
      gateway.child.kill('SIGTERM');
      const answered = await answer;
      expect(answered.status).toBe(504);
      expect(answered.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect((await gateway.exited).code).toBe(0);
      const lines = gateway.output().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.find((line) => line.msg === 'shut down')).toMatchObject({ failed: false });
      expect(lines.some((line) => line.requestsCut !== undefined)).toBe(false);
    } finally {
      hold.release();
    }
  }, 60_000);
});
