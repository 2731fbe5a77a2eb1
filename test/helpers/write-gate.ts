import type { KeyValueStore } from '../../src/state/store.js';

/** A write held at the gate: `reached` resolves when it arrives, and it goes on to the store once released. */
export interface HeldWrite {
  readonly reached: Promise<void>;
  release(): void;
}

/** Methods that only read: never held. */
const READS = new Set<PropertyKey>(['get', 'getMany', 'peek']);

interface Gate {
  readonly matches: (key: string) => boolean;
  /** Matching writes still to let through before the one held. */
  skip: number;
  readonly arrive: () => void;
  readonly passed: Promise<void>;
}

/**
 * A store whose writes to keys the test names wait at a gate until the test releases them,
 * whatever the method (a take's setIfAbsent, or any write a later take uses): how a test puts
 * another caller's calls between a take's look and its write, with no sleep.
 */
export class WriteGate {
  private readonly gates: Gate[] = [];

  /** `inner`, its writes going through this gate. */
  wrap(inner: KeyValueStore): KeyValueStore {
    return new Proxy(inner, {
      get: (target, name, receiver) => {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || READS.has(name)) return value;
        return async (...args: unknown[]) => {
          const key = args[0];
          const gate = typeof key === 'string' ? this.gateFor(key) : undefined;
          if (gate) {
            gate.arrive();
            await gate.passed;
          }
          return (value as (...inner: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  /** Holds a write to a key `matches` (a key, or a test of one), once `skip` such writes have gone through. */
  holdWrite(matches: string | ((key: string) => boolean), skip = 0): HeldWrite {
    let arrive = (): void => {};
    let release = (): void => {};
    const reached = new Promise<void>((resolve) => (arrive = resolve));
    const passed = new Promise<void>((resolve) => (release = resolve));
    this.gates.push({ matches: typeof matches === 'string' ? (key) => key === matches : matches, skip, arrive, passed });
    return { reached, release };
  }

  /** The gate that holds this write, taken off the list; undefined when none does. */
  private gateFor(key: string): Gate | undefined {
    const index = this.gates.findIndex((gate) => gate.matches(key));
    const gate = this.gates[index];
    if (!gate) return undefined;
    if (gate.skip > 0) {
      gate.skip -= 1;
      return undefined;
    }
    this.gates.splice(index, 1);
    return gate;
  }

  /** `root` (a gateway's store) whose namespace `name` writes through this gate. */
  onNamespace(root: KeyValueStore, name: string): KeyValueStore {
    return new Proxy(root, {
      get: (target, property, receiver) => {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        if (property !== 'namespace') return value.bind(target);
        return (space: string, options: { maxEntries: number }) => {
          const inner = (value as KeyValueStore['namespace']).call(target, space, options);
          return space === name ? this.wrap(inner) : inner;
        };
      },
    });
  }
}
