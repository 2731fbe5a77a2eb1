import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { parseBody, parseBodyInTurns } from '../../src/upstream/answer-body.js';

type Settled = { value: unknown } | { code: string; message: string; providerCode: unknown };

async function settle(read: () => unknown): Promise<Settled> {
  try {
    return { value: await read() };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return { code: error.code, message: error.message, providerCode: error.details.providerCode };
  }
}

/** Answers past 1 MB go to parseBodyInTurns, shorter ones to parseBody: a provider's answer must mean the same either way. */
describe('parseBodyInTurns: the answers parseBody gives, read in turns', () => {
  const cases: Array<[text: string, contentType: string | string[] | undefined, status: number, expected: Settled]> = [
    ['', 'application/json', 200, { value: null }],
    [' \r\n\t', 'application/json', 200, { value: null }],
    ['  ', undefined, 200, { value: null }],
    ['[1,{"a":[2]}]', 'application/json; charset=utf-8', 200, { value: [1, { a: [2] }] }],
    ['{"ok":true}', ['Application/JSON'], 201, { value: { ok: true } }],
    ['{"error":"down"}', 'application/problem+json', 503, { value: { error: 'down' } }],
    ['[1]', 'text/html', 200, { code: 'PROVIDER_ERROR', message: 'provider p1 sent an answer that is not JSON', providerCode: 'INVALID_RESPONSE' }],
    // No content type at all (ZStack's RestServer names none): read as JSON, refused only when it is none.
    ['[1]', undefined, 200, { value: [1] }],
    ['<html>ok</html>', undefined, 200, { code: 'PROVIDER_ERROR', message: 'provider p1 sent malformed JSON', providerCode: 'INVALID_RESPONSE' }],
    // An error status's body is read as JSON whatever its label (ZStack's RestServer names none).
    ['[1]', 'text/html', 502, { value: [1] }],
    ['{"error":{"code":"SYS.1001"}}', undefined, 503, { value: { error: { code: 'SYS.1001' } } }],
    ['{"rows":[1,2', 'application/json', 200, { code: 'PROVIDER_ERROR', message: 'provider p1 sent malformed JSON', providerCode: 'INVALID_RESPONSE' }],
    ['{"rows":[1,2', 'application/json', 503, { value: null }],
    ['<html>gateway timeout</html>', 'text/html', 504, { value: null }],
  ];

  it('empty is null, JSON its value (on an error status whatever its content type), malformed or non-JSON a PROVIDER_ERROR on a 2xx and null on an error status', async () => {
    for (const [text, contentType, status, expected] of cases) {
      const label = `${JSON.stringify(text)} as ${String(contentType)} (${status})`;
      expect(await settle(() => parseBodyInTurns(text, contentType, status, 'p1')), label).toEqual(expected);
      expect(await settle(() => parseBody(text, contentType, status, 'p1')), `parseBody: ${label}`).toEqual(expected);
    }
  });
});
