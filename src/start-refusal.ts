import { ConfigError } from './config/config-error.js';

export const EXIT_CONFIG = 2;
export const EXIT_START_FAILED = 1;

export interface StartRefusal {
  exitCode: typeof EXIT_CONFIG | typeof EXIT_START_FAILED;
  /** What stderr gets: one line per config problem, or one line saying what stopped the start. */
  lines: string[];
}

/** What stopped the start, in one line; a port in use says what to change. */
function startFailure(error: unknown, demo: boolean): string {
  const { code, port, address, listener, portVariable } = error as { code?: unknown; port?: unknown; address?: unknown; listener?: unknown; portVariable?: unknown };
  if (code === 'EADDRINUSE' && typeof port === 'number') {
    if (listener === 'admin') {
      // Where admin.port reads a variable, that is what differs between replicas of one shared file.
      const change = typeof portVariable === 'string' ? `give this replica another ${portVariable} (the config's admin.port reads it; 0: any free port)` : 'choose another admin.port in the config (0: any free port)';
      return `admin port ${port} on ${String(address)} is in use (another gateway's /metrics?): stop it, or ${change}`;
    }
    // Demo mode has no listen.port: a second `npm start` was pointed at a key of a file it has none of.
    const change = demo ? `start the demo on another port: PORT=${port < 65_535 ? port + 1 : 4001} npm start (PORT=0: any free port)` : 'choose another port (PORT or listen.port)';
    return `port ${port} on ${String(address)} is in use (another gateway, or the demo?): stop it, or ${change}`;
  }
  if (code === 'EADDRNOTAVAIL') {
    // node said "listen EADDRNOTAVAIL: address not available", naming neither the key nor what to write.
    const key = listener === 'admin' ? 'admin.host' : 'HOST or listen.host';
    return `${String(address)} is not an address of this machine (EADDRNOTAVAIL): listen on one it has, 0.0.0.0 for every interface or 127.0.0.1 for loopback only (${key})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** A config problem stops the start with exit 2 and its lines as they are; anything else with exit 1. */
export function startRefusal(error: unknown, { demo = false }: { demo?: boolean } = {}): StartRefusal {
  if (error instanceof ConfigError) return { exitCode: EXIT_CONFIG, lines: error.problems };
  return { exitCode: EXIT_START_FAILED, lines: [`backup-graph failed to start: ${startFailure(error, demo)}`] };
}
