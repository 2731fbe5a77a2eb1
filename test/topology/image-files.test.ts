import { execFile, spawn } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/gateway-process.js';
import { eventually } from '../helpers/harness.js';
import { environOf } from '../helpers/process-environ.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { builtGatewayBesideZomro } from '../server/built-gateway-beside-zomro.js';
import { ROOT, shellEnv } from '../server/process.js';
import { dockerfileEnv } from './dockerfile-env.js';

const temp = tempDirs();
afterAll(() => temp.removeAll());

/**
 * The image's runtime stage holds only what it COPYs (the package files, scripts/, dist/ from the
 * build stage) and its node_modules; every other process test runs dist/ from the whole checkout.
 * Started from a directory holding just those, as the container starts (CMD, ENV), the gateway
 * must serve, pass the HEALTHCHECK's own command and stop cleanly on the STOPSIGNAL: a file the
 * bundle read from the checkout at run time that the stage does not copy would stop it here
 * (schema.graphql was read beside dist/ until the bundle carried it). No container can be built
 * here: node_modules is the checkout's (dev dependencies too, where the image has none).
 */
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));

/** The runtime stage's COPY lines, laid out under `app` (its WORKDIR): the build stage's /app is the checkout, built. */
function copyRuntimeFiles(app: string): string[] {
  const copied: string[] = [];
  for (const [, line] of runtime.matchAll(/^COPY (.+)$/gm)) {
    const words = (line as string).split(/\s+/);
    const fromBuild = words[0] === '--from=build';
    const sources = words.slice(fromBuild ? 1 : 0, -1).map((source) => (fromBuild ? source.replace(/^\/app\//, '') : source));
    const target = words.at(-1) as string;
    for (const source of sources) {
      const to = target.endsWith('/') ? join(app, target, basename(source)) : join(app, target);
      cpSync(join(ROOT, source), to, { recursive: true });
      copied.push(source);
    }
  }
  return copied;
}

const run = (file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<number> =>
  new Promise((resolve) => execFile(file, args, { ...options, timeout: 10_000 }, (error) => resolve(error ? Number(error.code ?? 1) : 0)));

describe('the image\'s runtime stage, as its files and commands', () => {
  const beside = builtGatewayBesideZomro();

  it('starts from only what the stage copies, answers, passes the HEALTHCHECK command, and exits 0 on SIGTERM', async () => {
    const app = temp.make('bg-image-app-');
    expect(copyRuntimeFiles(app)).toContain('dist');
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'node_modules'), 'dir');
    const configFile = join(app, 'config.yaml');
    writeFileSync(configFile, JSON.stringify({ allowAnonymous: true, admin: { host: '127.0.0.1', port: 0 }, providers: [beside.simulator().accountConfig('zomro-image')] }));

    const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtime)?.[1] ?? '[]') as string[];
    expect(cmd[0]).toBe('node');
    const port = await freePort();
    const env = shellEnv({ ...dockerfileEnv(), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    const child = spawn(process.execPath, cmd.slice(1).map((arg) => (arg === '/etc/backup-graph/config.yaml' ? configFile : arg)), { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // The HEALTHCHECK's own command, in the container's environment, until it passes (the start period).
      const healthcheck = JSON.parse(/HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(runtime)?.[1] ?? '[]') as string[];
      expect(healthcheck[0]).toBe('node');
      await eventually(
        () => (child.exitCode === null ? run(process.execPath, healthcheck.slice(1), { cwd: app, env }) : Promise.reject(new Error(`exited ${child.exitCode}:\n${output}`))),
        (status) => status === 0,
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      // The runtime ENV's MALLOC_ARENA_MAX=2, in the process glibc started (docs/operations.md, "Start-up, memory, sizing").
      expect(environOf(child.pid).MALLOC_ARENA_MAX).toBe('2');
      const answer = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances(first: 1) { edges { node { id } } } }' }) });
      expect(await answer.json()).toMatchObject({ data: { instances: { edges: [{ node: { id: expect.any(String) } }] } } });
      expect(runtime).toMatch(/^STOPSIGNAL SIGTERM$/m);
      child.kill('SIGTERM');
      expect(await exited, output).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);
});
