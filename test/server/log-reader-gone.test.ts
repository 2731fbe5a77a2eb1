import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, shellEnv, start, type Spawned } from './process.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

const CONFIG = `allowAnonymous: true
listen: { port: 0, host: 127.0.0.1 }
admin: { port: 0, host: 127.0.0.1 }
shutdown: { drainTimeoutMs: 3000, readyzGraceMs: 0 }
providers:
  - { id: z, kind: zomro, url: "http://127.0.0.1:9/", auth: { token: zomro-token } }
`;

/**
 * A log shipper that dies (or `| head`) closes the gateway's standard output.
 * pino's asynchronous default flushed itself on exit and sonic-boom retried
 * the EPIPE forever: SIGTERM, and even the drain timeout, left the process
 * hung for good.
 */
describe('the log reader goes away', () => {
  let gateway: Spawned | undefined;
  afterEach(() => gateway?.kill());

  for (const format of ['json', 'pretty'] as const) {
    it(`SIGTERM still stops the gateway, exit 0 (LOG_FORMAT=${format})`, async () => {
      ensureBuilt();
      const dir = temp.make('bg-log-gone-');
      writeFileSync(join(dir, 'config.yaml'), CONFIG);
      gateway = start(process.execPath, ['dist/main.js', '--config', join(dir, 'config.yaml')], shellEnv({ LOG_FORMAT: format }));
      await gateway.waitFor(/ready/);
      gateway.child.stdout?.destroy();
      process.kill(gateway.child.pid as number, 'SIGTERM');
      // Hung, the process never exits and the test times out.
      expect(await gateway.exited).toEqual({ code: 0, signal: null });
    }, 30_000);
  }
});
