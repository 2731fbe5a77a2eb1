import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type DraftConfig, type Harness } from '../helpers/harness.js';

/**
 * Danube answers a failure 400 FAILURE (API docs: "200 OK – SUCCESS", "201 Created – PENDING",
 * "400 Bad Request – FAILURE"). A hostile or broken panel (or a proxy before it) that answers a
 * write 2xx with FAILURE, or with no envelope at all, must not have its write told SUCCEEDED.
 */
type Forged = { status: number; body: unknown };
const FORGED: Record<string, Forged> = {
  bare: { status: 200, body: { error: 'restore not allowed', success: false } },
  failure: { status: 200, body: { status: 'FAILURE', result: { detail: 'VM backup status is not OK' }, task_id: 't-1' } },
  pendingWithoutTask: { status: 201, body: { status: 'PENDING', result: null } },
};

/** In front of the simulator: every write (not a GET, not the login) answered as `forged` says, the rest passed through. */
async function forgingProxy(target: () => string, forged: () => Forged | null): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = forged();
      if (answer && req.method !== 'GET' && !(req.url ?? '').includes('/accounts/login')) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)).map(([name, value]) => [name, String(value)]));
      fetch(target() + (req.url ?? '/'), { method: req.method, headers, ...(req.method === 'GET' ? {} : { body: Buffer.concat(chunks).toString('utf8') }) })
        .then(async (upstream) => {
          res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('a Danube write answered 2xx without SUCCESS or PENDING', () => {
  let harness: Harness;
  let proxy: { server: Server; origin: string };
  let forged: Forged | null = null;
  let simulatorOrigin = '';

  beforeAll(async () => {
    proxy = await forgingProxy(() => simulatorOrigin, () => forged);
    harness = await startHarness({
      kinds: ['danube'],
      configure: (config: DraftConfig) => {
        const account = config.providers[0] as Record<string, unknown>;
        simulatorOrigin = new URL(String(account.url)).origin;
        return { ...config, providers: [{ ...account, url: String(account.url).replace(simulatorOrigin, proxy.origin) }] };
      },
    });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    proxy.server.close();
  });

  it.each(Object.keys(FORGED))('is a provider error, not a restore or delete that succeeded (%s)', async (name) => {
    forged = null;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { backups { id } } } } }');
    const backupId = listed.data?.instances.edges.flatMap((edge) => edge.node.backups)[0]?.id;
    expect(backupId).toBeDefined();
    forged = FORGED[name] ?? null;
    const restore = await harness.gql<{ restoreBackup: { operation: { status: string } } | null }>(
      'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { status } } }',
      { input: { backupId, confirm: true } },
    );
    const remove = await harness.gql<{ deleteBackup: { operation: { status: string } } | null }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }', { input: { backupId } });
    forged = null;
    for (const answer of [restore, remove]) {
      expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
      expect(answer.text).not.toContain('SUCCEEDED');
    }
  }, 30_000);
});
