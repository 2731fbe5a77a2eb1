import { STATUS_CODES, type ServerResponse } from 'node:http';
import { NO_SNIFF_HEADER } from './no-sniff.js';

/** Seconds a client waits before sending again: the replica is going, another (or its successor) answers. */
export const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 1;

/** The head of every 503 SHUTTING_DOWN the drain writes outside express: the error form's type, Retry-After, and the connection's end. */
export const shuttingDownHead = (): Record<string, string> => ({
  'content-type': 'application/json; charset=utf-8',
  'retry-after': String(SHUTTING_DOWN_RETRY_AFTER_SECONDS),
  connection: 'close',
  ...NO_SNIFF_HEADER,
});

/**
 * The same answer as bytes, for a connection whose request has not finished its headers: node has
 * no response object for it, and answers a request whose headers time out (408) the same way.
 */
export function shuttingDownRawAnswer(message: string): string {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'SHUTTING_DOWN' } }] });
  const head = { ...shuttingDownHead(), 'content-length': String(Buffer.byteLength(body)) };
  const lines = Object.entries(head).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 503 ${STATUS_CODES[503] ?? 'Service Unavailable'}\r\n${lines.join('')}\r\n${body}`;
}

/** Writes the 503 SHUTTING_DOWN answer to a request the drain did not run, outside express. */
export function answerShuttingDown(response: ServerResponse, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code: 'SHUTTING_DOWN' } }] });
  response.writeHead(503, { ...shuttingDownHead(), 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}
