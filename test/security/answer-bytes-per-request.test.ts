import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withAccountCopy, withLimits, type Harness } from '../helpers/harness.js';

const MiB = 1024 * 1024;
const VMS = 8;
type Backups = { instances: { edges: Array<{ node: { backups: Array<{ id: string }> | null } }> } };
const BACKUP_IDS = '{ instances(providerId: "onapp-hostile", first: 100) { edges { node { backups { id } } } } }';

/**
 * Each upstream answer is within its size limit (32 MiB) and read within the process's budget
 * (`limits.maxAnswerBytesHeld`), but what a request has read stays in its loaders until it ends.
 * A hostile OnApp answering each of 400 VMs' backup lists with one backup of a 2 MB note held
 * 1.2 GB resident for one request that asked only for the backups' ids (the dist build, its
 * `process_resident_memory_bytes`), and a few such requests at once ran the process out of memory.
 * `limits.maxUpstreamAnswerBytesPerRequest` bounds what one request takes in.
 */
describe('bytes of provider answers one request takes in (limits.maxUpstreamAnswerBytesPerRequest)', () => {
  let harness: Harness;
  let front: Server;

  beforeAll(async () => {
    // An OnApp of VMS virtual machines, each listing one backup whose note is 512 KiB.
    const note = 'n'.repeat(MiB / 2);
    front = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      const url = req.url ?? '';
      if (url.startsWith('/virtual_machines.json')) {
        res.end(JSON.stringify(Array.from({ length: VMS }, (_, index) => ({ virtual_machine: { id: index + 1, label: `vm${index + 1}`, booted: true } }))));
        return;
      }
      const vm = /^\/virtual_machines\/(\d+)\/backups\.json/.exec(url)?.[1];
      if (vm === undefined) return void res.end('[]');
      res.end(JSON.stringify([{ backup: { id: Number(vm) * 10, built: true, created_at: '2026-01-01T00:00:00Z', note, backup_type: 'normal' } }]));
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withLimits({ maxUpstreamAnswerBytesPerRequest: 2 * MiB }),
        withAccountCopy('onapp', { id: 'onapp-hostile', url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`, retries: 0, cacheTtlMs: 0 }),
      ],
    });
  });
  afterAll(async () => {
    await harness?.close();
    front?.closeAllConnections();
    await new Promise<void>((resolve) => front?.close(() => resolve()));
  });

  it('refuses the answers past the budget as QUERY_TOO_COMPLEX, keeping none of them', async () => {
    const answer = await harness.gql<Backups>(BACKUP_IDS);
    expect(answer.status).toBe(200);
    expect(new Set(errorCodes(answer))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
    expect(answer.errors?.[0]?.message).toBe(`the providers' answers to this request passed ${2 * MiB} bytes (limits.maxUpstreamAnswerBytesPerRequest); ask for fewer items`);
    // Three answers of 512 KiB and the list are within 2 MiB; the one that passes it, and each after it, is dropped as it comes.
    const served = answer.data?.instances.edges.filter((edge) => edge.node.backups !== null).length ?? 0;
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(VMS);
  });

  it('counts each request afresh: one asking for fewer VMs is answered whole', async () => {
    const answer = await harness.gql<Backups>('{ instances(providerId: "onapp-hostile", first: 2) { edges { node { backups { id } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.edges.map((edge) => edge.node.backups?.length)).toEqual([1, 1]);
  });
});

describe('limits.maxUpstreamAnswerBytesPerRequest in the config', () => {
  it('defaults to 256 MiB and refuses less than 1 MiB by its key', async () => {
    const { validateConfig } = await import('../../src/config/load.js');
    const base = { allowAnonymous: true, providers: [{ id: 'lab', kind: 'zstack', url: 'http://zstack.example.com:8080', auth: { accountName: 'admin', password: 'secret-password' }, backupStorageUuid: 'fc50c1ece4753c1981e3e3f65a151e0e' }] };
    expect(validateConfig(base).limits.maxUpstreamAnswerBytesPerRequest).toBe(256 * MiB);
    for (const wrong of [0, 1024, 1.5, '256MiB']) expect(() => validateConfig({ ...base, limits: { maxUpstreamAnswerBytesPerRequest: wrong } })).toThrow(/limits\.maxUpstreamAnswerBytesPerRequest/);
  });
});
