import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore, NamespaceBounds } from '../../src/state/store.js';

/**
 * A memory store whose namespaces a test can reach by name, to put there what the gateway would
 * have written at another time (a Zomro restore's mark of a restore started hours ago).
 */
export class NamedMemoryStore extends MemoryStore {
  private readonly named = new Map<string, KeyValueStore>();

  override namespace(name: string, options: NamespaceBounds): KeyValueStore {
    const child = super.namespace(name, options);
    this.named.set(name, child);
    return child;
  }

  /** The namespace the gateway asked for under `name`; throws when it asked for none. */
  namespaceNamed(name: string): KeyValueStore {
    const child = this.named.get(name);
    if (!child) throw new Error(`no namespace ${name} was asked of this store`);
    return child;
  }
}
