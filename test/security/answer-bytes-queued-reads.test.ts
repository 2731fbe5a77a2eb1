import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, withAccountCopy, withLimits, type Harness } from '../helpers/harness.js';

const MiB = 1024 * 1024;
const VMS = 40;
/** The account's reads in flight at once: the rest of a request's 40 backup lists wait for a slot. */
const CONCURRENCY = 2;
const LIMIT = 2 * MiB;
/** Answers of 512 KiB within the 2 MiB limit: the fourth passes it. */
const ANSWERS_WITHIN_LIMIT = 3;
const REFUSAL = `the providers' answers to this request passed ${LIMIT} bytes (limits.maxUpstreamAnswerBytesPerRequest); ask for fewer items`;
const ALL_BACKUPS = '{ instances(providerId: "onapp-hostile", first: 100) { edges { node { nativeId backups { id } } } } }';
const FIRST_VM_BACKUPS = '{ instances(providerId: "onapp-hostile", first: 1) { edges { node { nativeId backups { id } } } } }';
/** Reads the VM list: its read waits for a slot behind every read queued before it (Slots is first in, first out). */
const VM_LIST = '{ instances(providerId: "onapp-hostile", first: 1) { edges { node { nativeId } } } }';
type Backups = { instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string }> | null } }> } };

/**
 * A hostile OnApp of 40 VMs whose backup lists are each one backup with a 512 KiB note. It counts
 * the backup-list calls that reach it, and holds VM 1's answer while `holdFirstVm` is set (until
 * `releaseFirstVm`), saying `first-vm` when that call arrives.
 */
class HostileOnapp extends EventEmitter {
  backupCalls = 0;
  firstVmCalls = 0;
  holdFirstVm = false;
  private readonly held: Array<() => void> = [];
  readonly server: Server = createServer((req, res) => this.answer(req, res));
  private readonly note = 'n'.repeat(MiB / 2);

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  releaseFirstVm(): void {
    this.holdFirstVm = false;
    for (const release of this.held.splice(0)) release();
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const url = req.url ?? '';
    if (url.startsWith('/virtual_machines.json')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify(Array.from({ length: VMS }, (_, index) => ({ virtual_machine: { id: index + 1, label: `vm${index + 1}`, booted: true } }))));
    }
    const vm = /^\/virtual_machines\/(\d+)\/backups\.json/.exec(url)?.[1];
    if (vm === undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('[]');
    }
    this.backupCalls += 1;
    if (vm === '1') this.firstVmCalls += 1;
    const send = (): void => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ backup: { id: Number(vm) * 10, built: true, created_at: '2026-01-01T00:00:00Z', note: this.note, backup_type: 'normal' } }]));
    };
    if (vm === '1' && this.holdFirstVm) {
      this.held.push(send);
      this.emit('first-vm');
      return;
    }
    send();
  }
}

/**
 * A request past `limits.maxUpstreamAnswerBytesPerRequest` had its further loads refused, but its
 * reads already queued for the account's slots were still sent, and each answer read and dropped:
 * a refused 400-VM request against a hostile OnApp (a 2 MB note on each backup) took ~92 s of
 * gateway CPU after its refusal. Its reads stop when it passes the limit (UpstreamBudget.signal).
 */
describe('reads queued for a slot when their request passes its answer-bytes limit', () => {
  let harness: Harness;
  const onapp = new HostileOnapp();

  beforeAll(async () => {
    await new Promise<void>((resolve) => onapp.server.listen(0, '127.0.0.1', resolve));
    harness = await startHarness({
      kinds: ['onapp'],
      configure: [
        withLimits({ maxUpstreamAnswerBytesPerRequest: LIMIT }),
        withAccountCopy('onapp', { id: 'onapp-hostile', url: onapp.url, retries: 0, cacheTtlMs: 0, maxConcurrency: CONCURRENCY }),
      ],
    });
  });
  afterAll(async () => {
    onapp.releaseFirstVm();
    await harness?.close();
    onapp.server.closeAllConnections();
    await new Promise<void>((resolve) => onapp.server.close(() => resolve()));
  });

  /** Once this is answered, every read queued for the account before it has had its slot: sent, or left the queue. */
  async function queueDrained(): Promise<void> {
    const answer = await harness.gql(VM_LIST);
    expect(answer.errors).toBeUndefined();
  }

  it('are not sent: only the answers within the limit and those in flight reach the provider', async () => {
    onapp.backupCalls = 0;
    const answer = await harness.gql<Backups>(ALL_BACKUPS);
    expect(new Set(errorCodes(answer))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
    expect(answer.errors?.every((error) => error.message === REFUSAL)).toBe(true);
    await queueDrained();
    // The answer that passes the limit, and at most one more per slot: in flight, or handed its slot just before.
    expect(onapp.backupCalls).toBeGreaterThan(ANSWERS_WITHIN_LIMIT);
    expect(onapp.backupCalls).toBeLessThanOrEqual(ANSWERS_WITHIN_LIMIT + 1 + CONCURRENCY);
  });

  it("leave a read shared with another request: the other's answer still comes", async () => {
    onapp.backupCalls = 0;
    onapp.firstVmCalls = 0;
    onapp.holdFirstVm = true;
    // The other request reads VM 1's backups first; its answer is held at the provider.
    const firstVmArrived = once(onapp, 'first-vm');
    const other = harness.gql<Backups>(FIRST_VM_BACKUPS);
    await firstVmArrived;
    // This one's read of VM 1 joins that flight, and it passes its limit on the other VMs' answers.
    const refused = await harness.gql<Backups>(ALL_BACKUPS);
    expect(new Set(errorCodes(refused))).toEqual(new Set(['QUERY_TOO_COMPLEX']));
    expect(refused.errors?.every((error) => error.message === REFUSAL)).toBe(true);
    onapp.releaseFirstVm();
    const answer = await other;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.instances.edges.map((edge) => [edge.node.nativeId, edge.node.backups?.length])).toEqual([['1', 1]]);
    // VM 1's backups were asked once, for both requests: the refused one had joined the other's read.
    await queueDrained();
    expect(onapp.firstVmCalls).toBe(1);
    expect(onapp.backupCalls).toBeLessThanOrEqual(1 + ANSWERS_WITHIN_LIMIT + 1 + CONCURRENCY);
  }, 30_000);
});
