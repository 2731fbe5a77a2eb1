import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withClients, type Harness } from '../helpers/harness.js';

const SCRIPT = 'examples/follow-operation/follow.ts';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the example as a user would (node with tsx), to its exit. */
function runScript(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('examples/follow-operation', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness?.close());

  it('prints each status of a create as a JSON line until it ends, and exits 0', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "followed" }) { operation { id } } }', {
      id: listed.data!.instances.edges[0]!.node.id,
    });
    expect(created.errors).toBeUndefined();
    const run = await runScript([created.data!.createBackup.operation.id, harness.gateway.graphqlUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const updates = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { status: string; backup: { name: string } | null });
    expect(updates.at(-1)).toMatchObject({ status: 'SUCCEEDED', failure: null, backup: { name: 'followed' } });
  });

  it('says what went wrong on stderr and exits 1 for an id that is no operation, 2 without one', async () => {
    const bad = await runScript(['not-an-id', harness.gateway.graphqlUrl]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('malformed id');
    const nobody = await runScript(['x', 'http://127.0.0.1:9/graphql']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('could not connect to http://127.0.0.1:9/graphql');
    const none = await runScript([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage');
  });

  it('given an address where something answers but opens no WebSocket (the admin listener of the start line), says what it answered, not "is the gateway running there?"', async () => {
    const admin = await runScript(['x', `${harness.gateway.adminUrl}/graphql`]);
    expect(admin.code).toBe(1);
    expect(admin.stderr).toContain(`${harness.gateway.adminUrl}/graphql opened no WebSocket; over HTTP it answers 404: not found: this is the admin listener`);
    expect(admin.stderr).not.toContain('is the gateway running there');
  });

  it('tells a key left in BACKUP_GRAPH_KEY to a gateway with no client keys (the demo) to unset it, not to use another key from its config', async () => {
    const run = await runScript(['x', harness.gateway.graphqlUrl], { BACKUP_GRAPH_KEY: 'local-admin-key-change-me' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('this gateway has no client keys');
    expect(run.stderr).toContain('(unset BACKUP_GRAPH_KEY: this gateway takes no key)');
    expect(run.stderr).not.toContain('use a client key from its config');
  });

  it('names BACKUP_GRAPH_KEY when the gateway refuses the key it holds, and asks for it when none is set', async () => {
    const keyed = await startHarness({ kinds: ['zomro'], configure: withClients([{ name: 'dashboard', key: 'follow-example-key-0123456789', roles: ['operator'] }]) });
    try {
      const wrong = await runScript(['x', keyed.gateway.graphqlUrl], { BACKUP_GRAPH_KEY: 'not-the-key-0123456789abcdef' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('BACKUP_GRAPH_KEY is not a key this gateway knows');
      expect(wrong.stderr).not.toContain('not-the-key');
      const none = await runScript(['x', keyed.gateway.graphqlUrl], { BACKUP_GRAPH_KEY: '' });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('set BACKUP_GRAPH_KEY to a client key');
    } finally {
      await keyed.close();
    }
  });
});
