import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * A signal aborted when the HTTP response closes before it finished: the
 * client went away (or the connection broke), so the upstream reads still
 * running for it are cancelled and their sockets freed.
 */
export function requestSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // One listener per upstream attempt in flight (dozens for a dashboard): not a leak.
  setMaxListeners(0, controller.signal);
  if (res.closed && !res.writableFinished) controller.abort();
  else res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
