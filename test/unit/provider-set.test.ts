import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import type { Principal } from '../../src/gateway/principal.js';
import { ProviderSet, requireCapability } from '../../src/gateway/provider-set.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { PROVIDER_MODULES, createAdapter, providerConfigSchema, type ProviderConfig } from '../../src/providers/registry.js';

const admin = (providers: ReadonlySet<string> | null): Principal => ({ name: 'test', keyId: 'k', roles: new Set(['admin']), providers });

/** Real adapters of two kinds, three accounts, in config order (no upstream call is made). */
async function accounts(): Promise<ProviderAdapter[]> {
  const entries: Array<[keyof typeof PROVIDER_MODULES, string]> = [['onapp', 'lab'], ['danube', 'prod'], ['onapp', 'dr']];
  return Promise.all(entries.map(async ([kind, id]) => {
    const simulator = await PROVIDER_MODULES[kind].startSimulator({});
    const entry = providerConfigSchema.parse(simulator.accountConfig(id));
    await simulator.stop();
    return createAdapter(entry as ProviderConfig, { logger: pino({ level: 'silent' }) });
  }));
}

const ids = (adapters: readonly ProviderAdapter[]) => adapters.map((adapter) => adapter.account.id);

function refusal(run: () => unknown): GatewayError {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ProviderSet', () => {
  let set: ProviderSet;
  beforeAll(async () => {
    set = new ProviderSet(await accounts());
  });
  afterAll(() => set.close());

  it('closes every account’s upstream pool once, waiting for each', async () => {
    const own = new ProviderSet(await accounts());
    let open = own.all.length;
    const closes = own.all.map((adapter) => {
      const close = adapter.close.bind(adapter);
      return vi.spyOn(adapter, 'close').mockImplementation(async () => {
        await close();
        await new Promise((resolve) => setImmediate(resolve));
        open -= 1;
      });
    });
    await own.close();
    expect(open).toBe(0);
    for (const close of closes) expect(close).toHaveBeenCalledTimes(1);
  });

  it('lists every account in config order, filtered by kind', () => {
    expect(ids(set.visible(admin(null)))).toEqual(['lab', 'prod', 'dr']);
    expect(ids(set.visible(admin(null), {}))).toEqual(['lab', 'prod', 'dr']);
    expect(ids(set.visible(admin(null), { kind: 'onapp' }))).toEqual(['lab', 'dr']);
    expect(refusal(() => set.visible(admin(null), { kind: 'zomro' }))).toMatchObject({ code: 'NOT_FOUND', message: 'no provider account of kind ZOMRO' });
    expect(ids(set.visible(admin(null), { providerId: null, kind: null }))).toEqual(['lab', 'prod', 'dr']);
  });

  it('lists a scoped principal only its own accounts', () => {
    expect(ids(set.visible(admin(new Set(['dr', 'prod']))))).toEqual(['prod', 'dr']);
    // A kind only accounts out of scope have is no kind at all to this key.
    // Said as this key's, alike whether the config has such an account (danube) or not (zomro).
    expect(refusal(() => set.visible(admin(new Set(['dr'])), { kind: 'danube' }))).toMatchObject({ code: 'NOT_FOUND', message: 'no provider account of kind DANUBE that this key may see; `providers { id kind }` lists the accounts it may' });
    expect(refusal(() => set.visible(admin(new Set(['dr'])), { kind: 'zomro' })).message).toBe('no provider account of kind ZOMRO that this key may see; `providers { id kind }` lists the accounts it may');
    expect(ids(set.visible(admin(new Set(['dr'])), { kind: 'onapp' }))).toEqual(['dr']);
    // A key that may see no account sees none, without a filter: nothing to refuse.
    expect(ids(set.visible(admin(new Set())))).toEqual([]);
  });

  it('filters by account id, the kind filter applying too', () => {
    expect(ids(set.visible(admin(null), { providerId: 'prod' }))).toEqual(['prod']);
    expect(refusal(() => set.visible(admin(null), { providerId: 'prod', kind: 'onapp' }))).toMatchObject({ code: 'NOT_FOUND', message: 'provider prod is not of kind ONAPP' });
    expect(ids(set.visible(admin(null), { providerId: 'prod', kind: 'danube' }))).toEqual(['prod']);
    expect(ids(set.visible(admin(new Set(['prod'])), { providerId: 'prod' }))).toEqual(['prod']);
  });

  it('refuses a filter naming no account, or one the principal may not see, alike: NOT_FOUND', () => {
    const missing = refusal(() => set.visible(admin(null), { providerId: 'nope' }));
    const unseen = refusal(() => set.visible(admin(new Set(['lab'])), { providerId: 'prod' }));
    expect(missing.code).toBe('NOT_FOUND');
    expect(unseen.code).toBe('NOT_FOUND');
    // Where to read the account ids this key may use, without naming the account.
    expect(missing.message).toBe('no such provider: providerId names no account this key may see; `providers { id }` lists those it may (an account of the demo or of another config does not work here)');
    expect(unseen.message).toBe(missing.message);
    expect(unseen.message).not.toContain('prod');
    // An id's account is not typed: what to do about one copied from another gateway.
    expect(refusal(() => set.get(admin(null), 'nope')).message).toBe('no such provider: the account it names is not one this key may see (an id names an account of the config that made it: one from the demo or another config does not work here)');
  });

  it('gets and finds one account by id, as the principal may see it', () => {
    expect(set.get(admin(null), 'dr').account.id).toBe('dr');
    expect(set.find(admin(null), 'dr')?.account.id).toBe('dr');
    expect(set.find(admin(null), 'nope')).toBeNull();
    expect(set.find(admin(new Set(['lab'])), 'dr')).toBeNull();
    expect(set.find(admin(new Set(['dr'])), 'dr')?.account.id).toBe('dr');
    expect(refusal(() => set.get(admin(new Set(['lab'])), 'dr')).code).toBe('NOT_FOUND');
    expect(refusal(() => set.get(admin(null), 'nope')).code).toBe('NOT_FOUND');
  });

  it('refuses a capability the account lacks, naming it and the account', () => {
    const [lab, prod] = set.all as [ProviderAdapter, ProviderAdapter];
    const lacking = (['CANCEL_OPERATION', 'NAME_BACKUP'] as const).find((capability) => !lab.capabilities.has(capability));
    expect(lacking).toBeDefined();
    const error = refusal(() => requireCapability(lab, lacking!));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toBe(`provider lab does not support ${lacking}`);
    expect(error.details).toMatchObject({ provider: 'lab', capability: lacking });
    const held = [...prod.capabilities][0]!;
    expect(() => requireCapability(prod, held)).not.toThrow();
  });

  it('names the way an account schedules where it refuses a schedule mutation but keeps backup definitions (Danube), and only there', () => {
    const [lab, prod] = set.all as [ProviderAdapter, ProviderAdapter];
    expect(refusal(() => requireCapability(prod, 'CREATE_SCHEDULE')).message).toBe('provider prod does not support CREATE_SCHEDULE; its schedules are those of backup definitions: createBackupDefinition with a cron');
    expect(refusal(() => requireCapability(prod, 'DELETE_SCHEDULE')).message).toBe('provider prod does not support DELETE_SCHEDULE; its schedules are those of backup definitions: deleteBackupDefinition, or updateBackupDefinition with another cron');
    // OnApp has no definitions: the refusal names no mutation it cannot do either.
    expect(refusal(() => requireCapability(lab, 'CREATE_DEFINITION')).message).toBe('provider lab does not support CREATE_DEFINITION');
  });
});
