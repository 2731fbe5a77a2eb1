import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_ORDER_NAMESPACE } from '../../src/providers/onapp/restore-place.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';
/** Past node's ten listeners a signal takes before it warns of a leak. */
const WAITING = 16;

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}

/** A memory store that tells when the restores' places have been read `count` times after `places` were taken. */
class PlaceReadsStore extends MemoryStore {
  private taken = 0;
  private readsSince = 0;
  private wanted: { places: number; reads: number } | null = null;
  private reached: () => void = () => {};

  readsAfterTakes(places: number, reads: number): Promise<void> {
    this.wanted = { places, reads };
    return new Promise((resolve) => {
      this.reached = resolve;
    });
  }

  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    const store = super.namespace(name, options);
    if (name !== RESTORE_ORDER_NAMESPACE) return store;
    return new Proxy(store, {
      get: (target, key, receiver) => {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const call = (...args: unknown[]): unknown => (value as (...inner: unknown[]) => unknown).apply(target, args);
        if (key === 'setIfAbsent' || key === 'setIfAbsentAbove') {
          return async (...args: unknown[]) => {
            const answer = await call(...args);
            if (answer === true) this.taken++;
            return answer;
          };
        }
        if (key !== 'get' && key !== 'getMany') return call;
        return (...args: unknown[]) => {
          if (this.wanted && this.taken >= this.wanted.places && ++this.readsSince >= this.wanted.reads) this.reached();
          return call(...args);
        };
      },
    });
  }
}

/**
 * Each OnApp restore waiting for its turn listens to the gateway's drain signal (to give up as the
 * gateway stops). One signal for the whole process: past ten restores waiting at once, node printed
 * "MaxListenersExceededWarning: Possible EventTarget memory leak detected" to stderr, outside the
 * JSON log, about something that is no leak (as the request signals' cancellationController says).
 */
describe('onapp: many restores of one VM waiting for their turns at once', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  const store = new PlaceReadsStore();
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it(`${WAITING} restores waiting behind a slow POST: no leak warning from the drain signal`, async () => {
    const listed = await harness.gql<Listed>(INSTANCES);
    const backups = listed.data!.instances.edges.map((edge) => edge.node.backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity))).find((built) => built.length >= 2)!;
    const [first, later] = backups as [{ id: string; nativeId: string }, { id: string; nativeId: string }];
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on('warning', onWarning);
    const hold = simulator.holdRestoresOf(Number(first.nativeId));
    try {
      const earlier = harness.gql(RESTORE, { input: { backupId: first.id, confirm: true } });
      await hold.arrived;
      // Each waiting restore reads the places before it again and again, pausing between: once all
      // have their places, and some reads later, all of them are in the loop, mostly in a pause at once.
      const waited = store.readsAfterTakes(WAITING + 1, WAITING * 3);
      const waiting = Array.from({ length: WAITING }, () => harness.gql(RESTORE, { input: { backupId: later.id, confirm: true } }));
      await waited;
      hold.release();
      const answers = await Promise.all([earlier, ...waiting]);
      expect(answers.flatMap((answer) => errorCodes(answer))).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning').map((warning) => warning.message)).toEqual([]);
    } finally {
      hold.release();
      process.off('warning', onWarning);
    }
  }, 60_000);
});
