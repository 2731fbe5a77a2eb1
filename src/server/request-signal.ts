import { setMaxListeners } from 'node:events';
import type { ServerResponse } from 'node:http';

/**
 * A signal aborted when the HTTP response closes before it finished: the
 * client went away (or the connection broke), so the upstream reads still
 * running for it are cancelled and their sockets freed.
 */
export function requestSignal(res: ServerResponse): AbortSignal {
  const controller = cancellationController();
  if (res.closed && !res.writableFinished) controller.abort();
  else res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

/**
 * The controller behind a request's (or a WebSocket connection's) cancellation
 * signal. Every upstream read in flight listens to it, dozens for one
 * dashboard: without this, node prints a "possible EventTarget memory leak"
 * warning past ten, about something that is no leak.
 */
export function cancellationController(): AbortController {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  return controller;
}
