import { setImmediate as nextTurn } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backup, Operation } from '../../src/domain/types.js';
import { checkDeletesDue, type DeleteCheckContext } from '../../src/gateway/delete-check.js';
import { DeletesInFlight, type DeleteInFlight, type DeletesByAccount } from '../../src/gateway/deletes-in-flight.js';
import { backupListKey, operationId } from '../../src/gateway/ids.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { PROVIDER_MODULES, createAdapter, providerConfigSchema, type ProviderConfig } from '../../src/providers/registry.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import type { UpstreamScope } from '../../src/upstream/scope.js';

/**
 * The look a list starts at a delete no one polls (delete-check.ts), against a real ZStack
 * adapter and its simulator on loopback: a failed delete is seen FAILED once per period for the
 * fleet, and the look never reaches an account the record is not of, nor one the request may not
 * see; a failure is logged as its code and words, never with a credential.
 */

const scope = (): UpstreamScope => ({ requestId: 'check', budget: new UpstreamBudget(50, 64 * 1024 * 1024) });
const open = (config: Record<string, unknown>): ProviderAdapter =>
  createAdapter(providerConfigSchema.parse(config) as ProviderConfig, { logger: pino({ level: 'silent' }) });

let simulator: ZstackSimulator;
let stopSimulator: () => Promise<void>;
let adapter: ProviderAdapter;
let backups: Backup[];
let password: string;

beforeAll(async () => {
  const running = await PROVIDER_MODULES.zstack.startSimulator({});
  simulator = running.simulator as ZstackSimulator;
  simulator.asyncDelayMs = 0;
  stopSimulator = () => running.stop();
  const config = running.accountConfig('lab');
  password = (config.auth as { password: string }).password;
  adapter = open(config);
  const instances = await adapter.listInstances(scope());
  const listed = await adapter.listBackups(
    instances.map((instance) => instance.nativeId),
    scope(),
  );
  backups = [...listed.values()].flatMap((found) => (Array.isArray(found) ? found : []));
  expect(backups.length).toBeGreaterThanOrEqual(4);
});
afterAll(async () => {
  await adapter.close();
  await stopSimulator();
});

interface Probe {
  context: DeleteCheckContext;
  /** Every account asked for, in order. */
  asked: string[];
  /** Each scope lent to a look (one per provider call made). */
  scopes: number;
  /** Each operation a look read, as the poll would handle it. */
  looked: Operation[];
  warnings: Array<Record<string, unknown>>;
  /** Each claim asked of the store, at once (one per account a list meets), with the operations it won. */
  claims: Array<Promise<ReadonlySet<string>>>;
  /** Resolves once every claim, provider call and poll handling started so far has ended and what follows each has run. */
  finished: () => Promise<void>;
}

/** The adapter, its `getOperation` calls kept so a test can wait for them to end. */
function watched(adapter: ProviderAdapter): { adapter: ProviderAdapter; reads: Array<Promise<unknown>> } {
  const reads: Array<Promise<unknown>> = [];
  const watching = Object.create(adapter) as ProviderAdapter;
  watching.getOperation = (ref, scope) => {
    const read = adapter.getOperation(ref, scope);
    reads.push(read);
    return read;
  };
  return { adapter: watching, reads };
}

function probe(deletes: DeletesInFlight, accounts: Record<string, ProviderAdapter | null>, afterOperation?: (operation: Operation) => Promise<Operation>): Probe {
  const asked: string[] = [];
  const looked: Operation[] = [];
  const warnings: Array<Record<string, unknown>> = [];
  const claims: Array<Promise<ReadonlySet<string>>> = [];
  const handled: Array<Promise<unknown>> = [];
  let scopes = 0;
  const claimChecks = deletes.claimChecks.bind(deletes);
  deletes.claimChecks = (...args) => {
    const claim = claimChecks(...args);
    claims.push(claim);
    return claim;
  };
  const logger = pino({ level: 'warn' }, { write: (text: string) => warnings.push(JSON.parse(text) as Record<string, unknown>) });
  const found = Object.fromEntries(
    Object.entries(accounts).map(([id, adapter]) => {
      if (!adapter) return [id, null];
      const watching = watched(adapter);
      return [id, { adapter: watching.adapter, reads: watching.reads }];
    }),
  ) as Record<string, { adapter: ProviderAdapter; reads: Array<Promise<unknown>> } | null>;
  const context: DeleteCheckContext = {
    deletes,
    logger,
    requestId: 'request-7',
    findProvider: (providerId) => {
      asked.push(providerId);
      const account = found[providerId];
      if (!account) return null;
      return account.adapter;
    },
    scope: () => {
      scopes++;
      return scope();
    },
    afterOperation: (operation) => {
      const handling = (async () => {
        looked.push(operation);
        return afterOperation ? afterOperation(operation) : operation;
      })();
      handled.push(handling);
      return handling;
    },
  };
  const allReads = () => Object.values(found).flatMap((account) => account?.reads ?? []);
  const result: Probe = {
    context,
    asked,
    get scopes() {
      return scopes;
    },
    looked,
    warnings,
    claims,
    finished: async () => {
      await Promise.allSettled(claims);
      await nextTurn();
      await Promise.allSettled(allReads());
      await Promise.allSettled(handled);
      await nextTurn();
    },
  };
  return result;
}

/** A record of `operation` under `account`, written as an earlier version wrote it (no `checkedAt`): due at once. */
async function recordOf(store: MemoryStore, account: string, backup: Backup, operation: string): Promise<DeletesByAccount> {
  const record: DeleteInFlight = { instance: backup.instanceNativeId ?? '', backup: backupListKey(backup), operation, until: Date.now() + 60_000 };
  await store.set(account, [record], 60_000);
  return new Map([[account, [record]]]);
}

describe('checkDeletesDue: the one look a list has made at a delete no one polls', () => {
  it('reads a failed delete FAILED once for every list that meets it within the period, and writes whose look it was', async () => {
    const store = new MemoryStore();
    const deletes = new DeletesInFlight(store);
    const backup = backups[0]!;
    simulator.failNextJob = { code: 'SYS.1006', description: 'the image store is read-only', details: '' };
    const deleting = await adapter.deleteBackup(backup, scope());
    const records = await recordOf(store, 'lab', backup, operationId(deleting));
    const check = probe(deletes, { lab: adapter });
    const before = Date.now();
    checkDeletesDue(records, check.context);
    // The claim is asked at once: the list does not wait for it.
    expect(check.claims).toHaveLength(1);
    await check.finished();
    expect(check.asked).toEqual(['lab']);
    expect(check.scopes).toBe(1);
    expect(check.looked).toHaveLength(1);
    const [seen] = check.looked;
    expect(seen!.status).toBe('FAILED');
    expect(operationId(seen!)).toBe(operationId(deleting));
    const [written] = (deletes.read(['lab']) as DeletesByAccount).get('lab')!;
    expect(written!.checkedAt).toBeGreaterThanOrEqual(before);
    expect(written!.checkedBy).toMatch(/^[0-9a-f-]{36}$/);
    // The same list met again (two more requests, the record as they read it): the period's look is taken.
    checkDeletesDue(records, check.context);
    checkDeletesDue(records, check.context);
    expect(check.claims).toHaveLength(3);
    await check.finished();
    expect(check.asked).toEqual(['lab']);
    expect(check.looked).toHaveLength(1);
    expect(check.warnings).toEqual([]);
  });

  it('looks at nothing a list meets before its period is up', async () => {
    const store = new MemoryStore();
    const deletes = new DeletesInFlight(store);
    const backup = backups[1]!;
    const deleting = await adapter.deleteBackup(backup, scope());
    await deletes.started(backup, deleting, 60_000);
    const records = deletes.read(['lab']) as DeletesByAccount;
    let gets = 0;
    const get = store.get.bind(store);
    store.get = (...args) => {
      gets++;
      return get(...args);
    };
    const check = probe(deletes, { lab: adapter });
    checkDeletesDue(records, check.context);
    await check.finished();
    // Not due: not even a claim is tried.
    expect(check.claims).toEqual([]);
    expect(gets).toBe(0);
    expect(check.asked).toEqual([]);
  });

  it('never sends the look to an account the record is not of, nor to one the request may not see, and logs neither', async () => {
    const store = new MemoryStore();
    const deletes = new DeletesInFlight(store);
    const backup = backups[2]!;
    const deleting = await adapter.deleteBackup(backup, scope());
    // A record under `lab` whose operation names another account (another replica's, a record written by hand).
    const foreign = await recordOf(store, 'lab', backup, operationId({ ...deleting, providerId: 'elsewhere' }));
    const first = probe(deletes, { lab: adapter, elsewhere: adapter });
    checkDeletesDue(foreign, first.context);
    expect(first.claims).toHaveLength(1);
    await first.finished();
    expect([...(await first.claims[0])!]).toEqual([operationId({ ...deleting, providerId: 'elsewhere' })]);
    expect(first.asked).toEqual([]);
    expect(first.looked).toEqual([]);
    expect(first.warnings).toEqual([]);

    const hidden = await recordOf(store, 'lab', backup, operationId(deleting));
    const second = probe(new DeletesInFlight(store), {});
    checkDeletesDue(hidden, second.context);
    await second.finished();
    expect([...(await second.claims[0])!]).toEqual([operationId(deleting)]);
    expect(second.asked).toEqual(['lab']);
    expect(second.looked).toEqual([]);
    expect(second.warnings).toEqual([]);
  });

  it("logs a provider's failure as its code and words, with the request and the account, no stack and no credential", async () => {
    const gone = await PROVIDER_MODULES.zstack.startSimulator({});
    const config = gone.accountConfig('lab');
    await gone.stop();
    const unreachable = open(config);
    try {
      const store = new MemoryStore();
      const backup = backups[3]!;
      const deleting = await adapter.deleteBackup(backup, scope());
      const records = await recordOf(store, 'lab', backup, operationId(deleting));
      const check = probe(new DeletesInFlight(store), { lab: unreachable });
      checkDeletesDue(records, check.context);
      await check.finished();
      expect(check.looked).toEqual([]);
      expect(check.warnings).toHaveLength(1);
      const [line] = check.warnings;
      expect(line).toMatchObject({
        level: 40,
        requestId: 'request-7',
        provider: 'lab',
        code: expect.stringMatching(/^PROVIDER_/),
        error: expect.any(String),
        msg: 'could not look at a delete in flight that no one polls; its backup reads DELETING until a list looks again (30 s) or the operation is polled',
      });
      expect(line).not.toHaveProperty('err');
      expect(JSON.stringify(line)).not.toContain(password);
    } finally {
      await unreachable.close();
    }
  });

  it("logs a fault of the gateway's own with its error", async () => {
    const store = new MemoryStore();
    const backup = backups[0]!;
    const deleting = await adapter.deleteBackup(backup, scope());
    const records = await recordOf(store, 'lab', backup, operationId(deleting));
    const check = probe(new DeletesInFlight(store), { lab: adapter }, () => Promise.reject(new TypeError('poll handler broke')));
    checkDeletesDue(records, check.context);
    await check.finished();
    expect(check.warnings).toHaveLength(1);
    expect(check.warnings[0]).toMatchObject({ requestId: 'request-7', provider: 'lab', err: { type: 'TypeError', message: 'poll handler broke' } });
    expect(check.warnings[0]).not.toHaveProperty('code');
  });
});
