import type { Readable } from 'node:stream';
import { GatewayError } from '../domain/errors.js';

/**
 * The answer's text, refusing more than `maxBytes`. Event listeners rather
 * than `for await`: an async iterator per answer costs a measurable share of
 * a dashboard that reads hundreds of them.
 */
export function readLimited(body: Readable, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        reject(new ResponseTooLargeError());
        return;
      }
      chunks.push(chunk);
    });
    body.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
  });
}

export class ResponseTooLargeError extends Error {}

/** Matches an empty or all-whitespace answer without copying it (as trim() would). */
const BLANK = /^\s*$/;

/** Empty -> null; JSON -> value; anything else on a 2xx is an invalid answer. */
export function parseBody(text: string, contentType: string | string[] | undefined, status: number, provider: string): unknown {
  if (BLANK.test(text)) return null;
  const type = String(contentType ?? '').toLowerCase();
  const looksJson = type.includes('json');
  if (looksJson) {
    try {
      return JSON.parse(text);
    } catch {
      // fall through: a truncated or malformed answer
    }
  }
  if (status >= 400) return null;
  throw new GatewayError(
    'PROVIDER_ERROR',
    looksJson ? `provider ${provider} sent malformed JSON` : `provider ${provider} sent an answer that is not JSON`,
    { provider, providerCode: 'INVALID_RESPONSE' },
  );
}

