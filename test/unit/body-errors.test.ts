import { describe, expect, it } from 'vitest';
import { bodyErrorAnswer } from '../../src/server/body-errors.js';

describe('bodyErrorAnswer: what the client is told of a body the parser refused', () => {
  it('names an unsupported charset or content coding, keeping 415', () => {
    expect(bodyErrorAnswer({ status: 415, type: 'charset.unsupported', charset: 'ISO-8859-1' })).toEqual({
      status: 415,
      message: 'unsupported charset "iso-8859-1" in content-type: send the JSON body as UTF-8 (charset=utf-8, or none)',
      code: 'BAD_USER_INPUT',
    });
    expect(bodyErrorAnswer({ status: 415, type: 'encoding.unsupported', encoding: 'compress' }).message).toBe('unsupported content-encoding "compress": send the body as is, or gzip, deflate or br');
  });

  it('echoes a charset only when it is a plain name: header text is the client\'s', () => {
    for (const charset of ['<script>', 'a"b', 'x'.repeat(41), 'utf\u202e8', '', 7]) {
      expect(bodyErrorAnswer({ status: 415, type: 'charset.unsupported', charset }).message, String(charset)).toBe('unsupported charset in content-type: send the JSON body as UTF-8 (charset=utf-8, or none)');
    }
  });

  it('keeps the other answers: too large, malformed, and internal for a 5xx or an error without a status', () => {
    expect(bodyErrorAnswer({ status: 413, type: 'entity.too.large' })).toEqual({ status: 413, message: 'request body too large', code: 'BAD_USER_INPUT' });
    expect(bodyErrorAnswer({ status: 413, type: 'entity.too.large', limit: 1_048_576 }).message).toBe('request body too large (over 1048576 bytes, limits.bodyLimitBytes)');
    expect(bodyErrorAnswer({ status: 400, type: 'entity.parse.failed' })).toMatchObject({ status: 400, message: expect.stringMatching(/^the request body is not valid JSON: send/), code: 'BAD_USER_INPUT' });
    expect(bodyErrorAnswer({ status: 400, type: 'request.aborted' })).toEqual({ status: 400, message: 'malformed request body', code: 'BAD_USER_INPUT' });
    expect(bodyErrorAnswer(new Error('boom'))).toEqual({ status: 500, message: 'internal error', code: 'INTERNAL_SERVER_ERROR' });
    expect(bodyErrorAnswer({ status: 503 })).toEqual({ status: 503, message: 'internal error', code: 'INTERNAL_SERVER_ERROR' });
    expect(bodyErrorAnswer('text')).toMatchObject({ status: 500 });
  });
});
