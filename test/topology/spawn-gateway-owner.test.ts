import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { freePort, PortAnsweredByAnotherError, spawnGateway } from '../helpers/gateway-process.js';
import { holdsListener, procNetReadable } from '../helpers/listening-owner.js';

/**
 * spawnGateway's readiness: /healthz answering on the port proves nothing about who answered. A
 * port picked free and taken by another server before the gateway bound it (another test's admin
 * listener, CI once) was taken for the gateway's, and the test then read 404 "not found" at
 * /graphql. The answer counts only when the spawned process holds the listening socket.
 */
describe.skipIf(!procNetReadable())('spawnGateway proves the answer on its port comes from the process it spawned (Linux /proc; skipped elsewhere)', () => {
  let simulator: RunningSimulator;
  let directory: string;
  let configFile: string;

  beforeAll(async () => {
    simulator = await startSimulator('zomro');
    directory = mkdtempSync(join(tmpdir(), 'backup-graph-spawn-owner-'));
    configFile = join(directory, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ listen: { port: 0, host: '127.0.0.1' }, admin: { port: 0 }, allowAnonymous: true, logLevel: 'warn', providers: [simulator.accountConfig('zomro-spawn-owner')] }));
  }, 120_000);

  afterAll(async () => {
    await simulator?.stop();
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('resolves for a gateway that bound its port, and that gateway holds the listener', async () => {
    const port = await freePort();
    const gateway = await spawnGateway({ configFile, port });
    try {
      expect(holdsListener(gateway.child.pid as number, port)).toBe(true);
      // Nor does it hold one where nothing listens.
      expect(holdsListener(gateway.child.pid as number, await freePort())).toBe(false);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  }, 120_000);

  // 200: the old helper took it for the gateway's. 404 (a simulator, an admin listener: CI's "not found"): it polled on until the gateway exited on EADDRINUSE.
  it.each([200, 404])('fails at once, naming the port and the pid, when another server holds the port and answers /healthz %i', async (status) => {
    const port = await freePort();
    const asked: string[] = [];
    const squatter = createServer((request, response) => {
      asked.push(request.url ?? '');
      response.writeHead(status, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const started = spawnGateway({ configFile, port });
      await expect(started).rejects.toThrow(PortAnsweredByAnotherError);
      await expect(started).rejects.toThrow(new RegExp(`^port ${port} answered but not from the spawned gateway \\(pid \\d+\\); the port is held by ${process.pid} \\(`));
      // At once: the first answer was enough to tell, no polling on until a timeout.
      expect(asked).toEqual(['/healthz']);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  }, 120_000);
});
