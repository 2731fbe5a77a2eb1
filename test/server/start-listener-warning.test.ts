import { describe, expect, it } from 'vitest';
import { startHarness } from '../helpers/harness.js';

describe('starting the gateway', () => {
  it('prints no "memory leak" warning for the HTTP server\'s request listeners', async () => {
    // Each of the server's one-job layers (the answer ledgers, the drain's, the place in line) listens
    // to 'request' itself: at 11 node warned of a leak on stderr at every start, outside the JSON log.
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    const harness = await startHarness({ kinds: ['zomro'] });
    try {
      // A warning is emitted on the next tick after the listener that passes the limit.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
      await harness.close();
    }
    expect(warnings.filter((warning) => warning.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});
