import { afterEach, beforeEach, vi } from 'vitest';

/** The stop signals exitOnSignals listens to. */
const SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM'] as const;

/**
 * For unit tests of exitOnSignals (src/server/shutdown.ts) run in the test process: each test's
 * process.exit calls are recorded, not made; the signal listeners it adds are removed after it;
 * its timers are fake and cleared after it, as unit tests share one process (isolate: false) and a
 * real drain timer left armed fired in a later file. Call at a file's top level.
 * Returns the running test's exit codes, in order (one array, emptied before each test).
 */
export function exitsInProcess(): number[] {
  const exits: number[] = [];
  let listenersBefore = new Map<string, unknown[]>();
  beforeEach(() => {
    listenersBefore = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
    exits.length = 0;
    vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      exits.push(code ?? 0);
    }) as typeof process.exit);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    for (const signal of SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!listenersBefore.get(signal)?.includes(listener)) process.off(signal, listener as NodeJS.SignalsListener);
      }
    }
    vi.clearAllTimers();
    vi.useRealTimers();
    vi.restoreAllMocks();
  });
  return exits;
}
