import type { Writable } from 'node:stream';

/**
 * JSON log lines to standard output without letting its reader hold the
 * gateway. Written synchronously, a pipe nobody drained (a stuck log shipper,
 * a container runtime's log driver behind on a slow disk) stopped the event
 * loop once the kernel's 64 KiB were full: every request, /healthz included,
 * waited for the reader (measured: the 204th error answer, ~65 KiB of lines,
 * and nothing after it). Node's own stdout writes to a pipe without blocking
 * and queues what the kernel does not take; this bounds that queue and drops
 * lines past it, counting them, so the reader costs lines, never service.
 */

/** A few thousand lines: more than a burst of errors, far less than the container's memory. */
export const STDOUT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** What pino writes to, plus what shutdown and the drop report need. */
export interface BoundedStdout {
  write(line: string): void;
  /** Lines dropped since the start because the reader was behind (or gone). */
  droppedTotal(): number;
  /** Resolves once every queued line is handed to the kernel, or after waitMs, whichever comes first. */
  flushed(waitMs: number): Promise<void>;
}

/** How often flushed() looks whether a queue below the high-water mark has emptied. */
const FLUSH_LOOK_MS = 10;

type Output = Pick<Writable, 'write' | 'writableLength' | 'once' | 'on' | 'off'>;

/**
 * `onResumed(n)` is called (on a later tick, never inside a write) when lines
 * are taken again after n were dropped, so the log says what it is missing.
 */
export function boundedOutput(output: Output, maxBufferedBytes: number, onResumed: (dropped: number) => void): BoundedStdout {
  let gone = false;
  let droppedTotal = 0;
  let droppedSinceLastLine = 0;
  // A reader that went away (EPIPE): lines from then on are lost; an unhandled 'error' would crash the process.
  output.on('error', () => {
    gone = true;
  });
  return {
    write(line) {
      // Counted too: the metric is how a scrape learns that the log shipper died and lines go nowhere.
      if (gone) {
        droppedTotal += 1;
        return;
      }
      if (output.writableLength + Buffer.byteLength(line) > maxBufferedBytes) {
        droppedTotal += 1;
        droppedSinceLastLine += 1;
        return;
      }
      if (droppedSinceLastLine > 0) {
        const dropped = droppedSinceLastLine;
        droppedSinceLastLine = 0;
        setImmediate(() => onResumed(dropped));
      }
      output.write(line);
    },
    droppedTotal: () => droppedTotal,
    flushed(waitMs) {
      if (gone || output.writableLength === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          clearInterval(look);
          output.off('drain', done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        // 'drain' comes only after a write that found the queue past the stream's high-water mark
        // (16 KiB for stdout): a smaller queue empties without a word, and every exit waited the
        // whole waitMs for a reader that had taken its lines at once.
        const look = setInterval(() => {
          if (gone || output.writableLength === 0) done();
        }, FLUSH_LOOK_MS);
        output.once('drain', done);
      });
    },
  };
}

let stdout: BoundedStdout | undefined;
let resumedListener: (dropped: number) => void = () => {};

/** The process's one bounded standard output (one 'error' listener however many loggers write to it). */
export function boundedStdout(): BoundedStdout {
  stdout ??= boundedOutput(process.stdout, STDOUT_MAX_BUFFERED_BYTES, (dropped) => resumedListener(dropped));
  return stdout;
}

/** Who reports dropped lines once the reader catches up (the serving logger). */
export function onStdoutResumed(listener: (dropped: number) => void): void {
  resumedListener = listener;
}
