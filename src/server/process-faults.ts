import { inspect } from 'node:util';
import type { Logger } from 'pino';
import { clipProviderMessage, visibleText } from '../domain/errors.js';
import { LogThrottle } from '../observability/log-throttle.js';
import type { UnhandledErrorKind } from '../observability/metrics.js';
import { boundedView } from './bounded-view.js';

/** What the process's last-resort handlers need of the running gateway. */
export interface FaultRecord {
  /** `text` with every provider account's secrets redacted, as provider text is. */
  scrub(text: string): string;
  /** backup_graph_unhandled_errors_total{kind}. */
  count(kind: UnhandledErrorKind): void;
}

export interface ProcessFaultOptions {
  logger: Logger;
  record: FaultRecord;
  /** The drain SIGTERM starts, ending in exit 1 (shutdown.ts, GracefulStop). */
  drainAfterFault: () => void;
}

/** What the fault lines are throttled by: the error's name (unscrubbed, never logged), read without throwing. */
function throttleKey(fault: unknown): string {
  try {
    return fault instanceof Error ? String(fault.name).slice(0, 100) : `(${typeof fault})`;
  } catch {
    return '(unreadable)';
  }
}

/**
 * How much of a fault's text is scrubbed: more than is shown, so that a secret the cut before the
 * scrub halves lies past what is shown; bounded, as a library's message may be megabytes.
 */
const SCRUBBED_CHARS = 8_000;
const SHOWN_MESSAGE_CHARS = 1_000;
const SHOWN_STACK_CHARS = 4_000;

/**
 * How long the fault lines of one error name share a line. A client able to cause a
 * rejection on every request wrote a line of up to some 5 KB per request; the metric still counts each.
 * The uncaught-exception lines are throttled the same way (their own names, their own lines): the
 * first one starts a drain, but the process serves on through it (up to shutdown.drainTimeoutMs,
 * 10 min at most), and a throw that recurs (an interval's callback, a handler of every socket's
 * events) wrote a fatal line of up to some 5 KB each time until the exit.
 */
export const FAULT_LINE_PERIOD_MS = 10_000;
/** Error names remembered at most: past it, the rest share one line a period. */
const FAULT_LINE_NAMES = 20;

const UNSCRUBBABLE = 'its text could not be read or scrubbed, so it is not shown';

/** Read defensively: a rejection's reason is any value, and a getter of it may throw. */
function faultText(fault: unknown): { message: string; name?: string; stack?: string } {
  if (fault instanceof Error) {
    return { message: String(fault.message), name: String(fault.name), ...(typeof fault.stack === 'string' ? { stack: fault.stack } : {}) };
  }
  if (typeof fault === 'string') return { message: fault };
  // inspect bounds arrays, not an object's keys: a reason of a million keys was read whole, then cut.
  return { message: inspect(boundedView(fault), { depth: 2, breakLength: Infinity, maxArrayLength: 50, maxStringLength: SCRUBBED_CHARS }) };
}

/** The fault's message, name and stack, scrubbed of every account's secrets; never throws. */
export function scrubbedFault(fault: unknown, scrub: (text: string) => string): { message: string; errorName?: string; stack?: string } {
  try {
    const { message, name, stack } = faultText(fault);
    return {
      message: clipProviderMessage(scrub(message.slice(0, SCRUBBED_CHARS)), '(no message)', SHOWN_MESSAGE_CHARS),
      ...(name === undefined ? {} : { errorName: clipProviderMessage(scrub(name.slice(0, 200)), 'Error', 100) }),
      // The stack's first line repeats the message: cleaned as the message is, its lines kept (after the cut, which may halve a pair).
      ...(stack === undefined ? {} : { stack: visibleText(scrub(stack.slice(0, SCRUBBED_CHARS)).slice(0, SHOWN_STACK_CHARS)) }),
    };
  } catch {
    return { message: UNSCRUBBABLE };
  }
}

/**
 * The process's last resort once the gateway serves. Node's default for either fault ends the
 * process on the spot, cutting every client's requests: one library bug on one request (graphql-jit's
 * TypeError for a field aliased `__proto__`) stopped the replica for all. Both are logged, scrubbed
 * (the message may quote a credential), and counted.
 * - A rejection nobody handled is one piece of work gone wrong, the process around it intact:
 *   the replica keeps serving. Its line is throttled by error name (one a period, saying how many
 *   were left out since), as a client may cause one on every request; the metric counts each.
 * - An exception thrown outside any handler (a timer's, an event handler's) unwound code that may
 *   have left shared state half-changed: the replica drains as at SIGTERM (requests in flight are
 *   answered, new ones refused) and exits 1, so its supervisor restarts it. Its line is throttled
 *   as the rejection's is, as it may recur through the drain; each still counted, each still
 *   (re)starts the drain.
 */
export function watchProcessFaults(options: ProcessFaultOptions): void {
  const { logger, record } = options;
  const rejectionLines = new LogThrottle(FAULT_LINE_PERIOD_MS, FAULT_LINE_NAMES);
  const exceptionLines = new LogThrottle(FAULT_LINE_PERIOD_MS, FAULT_LINE_NAMES);
  // A throw from an 'uncaughtException' listener ends the process at once (exit 7): nothing here may throw.
  const report = (kind: UnhandledErrorKind, fault: unknown, level: 'error' | 'fatal', words: string, lines: LogThrottle, leftOutField: string) => {
    try {
      record.count(kind);
    } catch {
      // The line below still says it.
    }
    try {
      const leftOut = lines.take(throttleKey(fault));
      if (leftOut === null) return;
      const { message, ...fields } = scrubbedFault(fault, record.scrub);
      logger[level]({ kind, ...fields, [leftOutField]: leftOut }, `${words}: ${message}`);
    } catch {
      // A logger that throws has nowhere left to say so.
    }
  };
  process.on('unhandledRejection', (reason) => {
    report('unhandled_rejection', reason, 'error', 'unhandled promise rejection (a fault in the gateway or a library; still serving)', rejectionLines, 'alsoRejectedSinceLastLine');
  });
  process.on('uncaughtException', (error) => {
    report('uncaught_exception', error, 'fatal', 'uncaught exception (state may be inconsistent): draining as at SIGTERM, then exiting 1', exceptionLines, 'alsoThrownSinceLastLine');
    try {
      options.drainAfterFault();
    } catch {
      // The drain could not begin: exit as node would have, rather than serve on in doubt.
      process.exit(1);
    }
  });
}
