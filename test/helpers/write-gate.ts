import type { KeyValueStore } from '../../src/state/store.js';

/** A write held at the gate: `reached` resolves when it arrives, and it goes on to the store once released. */
export interface HeldWrite {
  readonly reached: Promise<void>;
  release(): void;
}

/** Methods that only read: never held. */
const READS = new Set<PropertyKey>(['get', 'getMany', 'peek']);

/**
 * A store whose first write to a key the test names waits at a gate until the test releases it,
 * whatever the method (a take's setIfAbsent, or any write a later take uses): how a test puts
 * another caller's calls between a take's look and its write, with no sleep.
 */
export class WriteGate {
  readonly store: KeyValueStore;
  private readonly held = new Map<string, { arrive: () => void; passed: Promise<void> }>();

  constructor(inner: KeyValueStore) {
    this.store = new Proxy(inner, {
      get: (target, name, receiver) => {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || READS.has(name)) return value;
        return async (...args: unknown[]) => {
          const gate = typeof args[0] === 'string' ? this.held.get(args[0]) : undefined;
          if (gate) {
            this.held.delete(args[0] as string);
            gate.arrive();
            await gate.passed;
          }
          return (value as (...inner: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** Holds the next write to `key` (only the next one). */
  holdNextWrite(key: string): HeldWrite {
    let arrive = (): void => {};
    let release = (): void => {};
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const passed = new Promise<void>((resolve) => (release = resolve));
    this.held.set(key, { arrive, passed });
    return { reached, release };
  }
}
