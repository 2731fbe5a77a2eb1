import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { generate } from '@graphql-codegen/cli';
import type { Types } from '@graphql-codegen/plugin-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import { startHarness, withClients, type Harness } from '../helpers/harness.js';

const SCRIPT = 'examples/dashboard-client/src/dashboard.ts';
const KINDS = PROVIDER_KINDS;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the example as a user would (node with tsx), to its exit. */
function runScript(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A loopback port nobody listens on: one the OS just handed out, closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('examples/dashboard-client', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: KINDS });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('prints one row per instance, from every provider, with backup counts and the newest backup', async () => {
    const run = await runScript([harness.gateway.graphqlUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^INSTANCE\s+PROVIDER\s+STATE\s+BACKUPS\s+NEWEST BACKUP$/);

    const expected = await harness.gql<{
      instances: { totalCount: number; edges: Array<{ node: { name: string; provider: { id: string; kind: string }; backups: Array<{ createdAt: string | null }> } }> };
    }>('{ instances(first: 1000) { totalCount edges { node { name provider { id kind } backups { createdAt } } } } }');
    const instances = expected.data!.instances;
    expect(rows).toHaveLength(instances.totalCount);
    for (const kind of KINDS) expect(rows.some((row) => row.includes(`${harness.providerId(kind)} (${kind.toUpperCase()})`)), `a row of ${kind}`).toBe(true);

    // each instance's row: its provider, its backup count and its newest backup time
    for (const { node } of instances.edges) {
      const row = rows.find((line) => line.startsWith(`${node.name} `) && line.includes(`${node.provider.id} (${node.provider.kind})`));
      expect(row, node.name).toBeDefined();
      const cells = row!.split(/\s{2,}/);
      const newest = node.backups.map((backup) => backup.createdAt).filter((date): date is string => date !== null).sort().at(-1) ?? '-';
      expect(cells.slice(-2)).toEqual([String(node.backups.length), newest]);
    }
    expect(instances.edges.some(({ node }) => node.backups.length > 0)).toBe(true);
  }, 60_000);

  it('reads the URL from BACKUP_GRAPH_URL, and says so plainly when nothing answers there', async () => {
    const fromEnv = await runScript([], { BACKUP_GRAPH_URL: harness.gateway.graphqlUrl });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toContain(harness.providerId('danube'));

    const closed = await closedPort();
    const unreachable = await runScript([`http://127.0.0.1:${closed}/graphql`]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stdout).toBe('');
    // A wrong port (4000 while the gateway of a config listens on another) says what to do, not only the errno.
    expect(unreachable.stderr.trim()).toBe(
      `cannot reach http://127.0.0.1:${closed}/graphql: ECONNREFUSED: nothing listens at that port: start the gateway, or give the address its start line logs (GraphiQL: ...)`,
    );
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('says how many provider accounts answered when one failed, under the rows of the others', async () => {
    const onapp = harness.simulator('onapp').server;
    await onapp.setFault({ mode: 'http-503' });
    try {
      const run = await runScript([harness.gateway.graphqlUrl]);
      expect(run.code).toBe(0);
      const rows = run.stdout.trimEnd().split('\n').slice(1);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.some((row) => row.includes(harness.providerId('onapp')))).toBe(false);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(new RegExp(`^${harness.providerId('onapp')} PROVIDER_UNAVAILABLE: `));
      expect(lines.at(-1)).toBe(`3 of 4 provider accounts answered; the table lacks the instances of ${harness.providerId('onapp')}`);
    } finally {
      await onapp.setFault({ mode: 'none' });
    }
  }, 60_000);

  it('tells a key left in BACKUP_GRAPH_KEY to a gateway with no client keys (the demo) to unset it, not to use another key from its config', async () => {
    const run = await runScript([harness.gateway.graphqlUrl], { BACKUP_GRAPH_KEY: 'local-admin-key-change-me' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('this gateway has no client keys');
    expect(run.stderr.trim().split('\n').at(-1)).toBe('unset BACKUP_GRAPH_KEY: this gateway takes no key (demo mode, or a config without clients)');
  }, 60_000);

  describe('against a gateway that asks for a key, with no instances', () => {
    const key = 'dashboard-client-test-key';
    let keyed: Harness;
    beforeAll(async () => {
      keyed = await startHarness({ kinds: ['zomro'], simulator: { instances: 0 }, configure: withClients([{ name: 'viewer', key, roles: ['viewer'] }]) });
    });
    afterAll(async () => {
      await keyed?.close();
    });

    it('prints only the error, no table, when the key is wrong or missing (an empty table would read as "no instances")', async () => {
      const hints = new Map([
        ['not-the-key', 'BACKUP_GRAPH_KEY is not a key this gateway knows: use a client key from its config'],
        ['', "set BACKUP_GRAPH_KEY to a client key from the gateway's config"],
      ]);
      for (const [value, hint] of hints) {
        const env = { BACKUP_GRAPH_KEY: value };
        const run = await runScript([keyed.gateway.graphqlUrl], env);
        expect(run.code, JSON.stringify(env)).toBe(1);
        expect(run.stdout, JSON.stringify(env)).toBe('');
        expect(run.stderr, JSON.stringify(env)).toMatch(/^UNAUTHENTICATED: /);
        // The gateway speaks of an Authorization header; the script's reader sets a variable.
        expect(run.stderr.trim().split('\n').at(-1), JSON.stringify(env)).toBe(hint);
      }
    }, 60_000);

    it('prints only the provider errors, no table, when every provider failed (no rows, but not "no instances")', async () => {
      const server = keyed.simulator('zomro').server;
      await server.setFault({ mode: 'http-503' });
      try {
        const run = await runScript([keyed.gateway.graphqlUrl], { BACKUP_GRAPH_KEY: key });
        expect(run.code).toBe(1);
        expect(run.stdout).toBe('');
        expect(run.stderr).toMatch(new RegExp(`^${keyed.providerId('zomro')} PROVIDER_`));
      } finally {
        await server.setFault({ mode: 'none' });
      }
    }, 60_000);

    it('prints the header alone, and exits 0, when the gateway answers with no instances and no errors', async () => {
      const run = await runScript([keyed.gateway.graphqlUrl], { BACKUP_GRAPH_KEY: key });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trimEnd()).toMatch(/^INSTANCE\s+PROVIDER\s+STATE\s+BACKUPS\s+NEWEST BACKUP$/);
    }, 60_000);
  });

  it('has generated documents that match schema.graphql and its queries (run `npm run codegen:example`)', async () => {
    const config = parse(readFileSync('examples/dashboard-client/codegen.yml', 'utf8')) as Types.Config;
    const outputs = await generate({ ...config, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) expect(readFileSync(output.filename, 'utf8'), output.filename).toBe(output.content);
  }, 60_000);
});
