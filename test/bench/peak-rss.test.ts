import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { highWaterMarkBytes } from '../../bench/peak-rss.js';

const MiB = 1024 * 1024;

// The bench's "peak RSS" rows and bench:memory's peak come from here: the gateway's own peak, not its parent's.
describe('bench/peak-rss.ts', () => {
  it('reads VmHWM from a /proc status, in bytes', () => {
    expect(highWaterMarkBytes('Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t  153600 kB\nVmRSS:\t  100 kB\n')).toBe(150 * MiB);
    expect(() => highWaterMarkBytes('Name:\tnode\n')).toThrow('no VmHWM');
  });

  it("gives a forked child's own peak, not the larger resident set of the process that forked it", async () => {
    // 300 MiB resident here while the child is forked: getrusage's maxRSS in the child reports it as the child's.
    const ballast = Buffer.alloc(300 * MiB, 1);
    const child = fork(join(import.meta.dirname, 'peak-rss-child.ts'), { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [reading] = (await once(child, 'message')) as [{ peakBytes: number; rssBytes: number }];
    await once(child, 'exit');
    expect(ballast.length).toBe(300 * MiB);
    // A node process running tsx: well under the ballast, and at least what it holds now.
    expect(reading.peakBytes).toBeGreaterThanOrEqual(reading.rssBytes * 0.9);
    expect(reading.peakBytes).toBeLessThan(250 * MiB);
  });
});
