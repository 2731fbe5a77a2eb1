import { afterAll, afterEach, beforeAll } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { ensureBuilt, type Spawned } from './process.js';

export interface BuiltGatewayBesideZomro {
  /** The Zomro simulator the gateways' configs name (started in beforeAll). */
  simulator(): RunningSimulator;
  /** Marks `spawned` as this test's gateway, killed after the test whatever its outcome. */
  track(spawned: Spawned): Spawned;
}

/**
 * For a describe block whose tests start the built gateway (dist/main.js) over a Zomro
 * simulator: builds dist/ if a source is newer and starts the simulator once, and kills the
 * gateway each test started after it, so a failed test leaves no process behind.
 */
export function builtGatewayBesideZomro(): BuiltGatewayBesideZomro {
  let simulator: RunningSimulator | undefined;
  let running: Spawned | null = null;
  beforeAll(async () => {
    ensureBuilt();
    simulator = await startSimulator('zomro', {});
  }, 120_000);
  afterEach(() => {
    running?.kill();
    running = null;
  });
  afterAll(() => simulator?.stop());
  return {
    simulator() {
      if (!simulator) throw new Error('the Zomro simulator starts in beforeAll');
      return simulator;
    },
    track: (spawned) => (running = spawned),
  };
}
