import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  GatewayError,
  badInput,
  clipProviderCode,
  clipProviderMessage,
  conflict,
  isGatewayError,
  notFound,
  providerError,
  unsupported,
} from '../../src/domain/errors.js';

describe('the gateway error type', () => {
  it('lists exactly the codes at the end of schema.graphql, in its order', () => {
    const schema = readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8');
    const listed = schema.slice(schema.indexOf('extensions.code is one of:')).match(/^# {2,3}[A-Z_]+(?= )/gm) ?? [];
    expect(ERROR_CODES).toEqual(listed.map((line) => line.replace(/^#\s+/, '')));
  });

  it('carries its code, message, name and details', () => {
    const error = new GatewayError('PROVIDER_TIMEOUT', 'provider p timed out', { provider: 'p', retryAfterSeconds: 3 });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'GatewayError', code: 'PROVIDER_TIMEOUT', message: 'provider p timed out', details: { provider: 'p', retryAfterSeconds: 3 } });
    expect(new GatewayError('NOT_FOUND', 'x').details).toEqual({});
    expect(isGatewayError(error)).toBe(true);
    expect(isGatewayError(new Error('plain'))).toBe(false);
    expect(isGatewayError({ code: 'NOT_FOUND', message: 'look-alike' })).toBe(false);
  });

  it('keeps a provider code that is a short token, up to 40 characters, and drops any other', () => {
    for (const code of ['SYS.1007', 'HTTP_404', 'a-b_c.d', 'x'.repeat(40)]) {
      expect(new GatewayError('PROVIDER_ERROR', 'm', { provider: 'p', providerCode: code }).details).toEqual({ provider: 'p', providerCode: code });
    }
    for (const code of ['x'.repeat(41), '', 'two words', 'SYS.1007: words', 'a/b', 'line\nbreak']) {
      expect(new GatewayError('PROVIDER_ERROR', 'm', { provider: 'p', providerCode: code, fields: ['name'] }).details).toEqual({ provider: 'p', fields: ['name'] });
    }
  });

  it('builds each typed error with its code, words and details', () => {
    expect(badInput('first is too big')).toMatchObject({ code: 'BAD_USER_INPUT', message: 'first is too big', details: {} });
    expect(notFound('backup')).toMatchObject({ code: 'NOT_FOUND', message: 'backup not found', details: {} });
    expect(notFound('backup', 'zomro-nl')).toMatchObject({ code: 'NOT_FOUND', message: 'backup not found', details: { provider: 'zomro-nl' } });
    expect(notFound('backup', '').details).toEqual({});
    expect(conflict('busy')).toMatchObject({ code: 'CONFLICT', message: 'busy', details: {} });
    expect(conflict('busy', 'onapp-lab')).toMatchObject({ code: 'CONFLICT', message: 'busy', details: { provider: 'onapp-lab' } });
    expect(conflict('busy', '').details).toEqual({});
    expect(unsupported('zstack-lab', 'LIST_SCHEDULES')).toMatchObject({
      code: 'UNSUPPORTED',
      message: 'provider zstack-lab does not support LIST_SCHEDULES',
      details: { provider: 'zstack-lab', capability: 'LIST_SCHEDULES' },
    });
    expect(providerError('p', 'refused')).toMatchObject({ code: 'PROVIDER_ERROR', message: 'refused', details: { provider: 'p' } });
    expect(Object.keys(providerError('p', 'refused').details)).toEqual(['provider']);
    expect(providerError('p', 'refused', 'E42').details).toEqual({ provider: 'p', providerCode: 'E42' });
  });
});

describe('provider words shown to clients', () => {
  it('clipProviderCode takes the leading token, trimmed, and falls back for anything else', () => {
    expect(clipProviderCode('  SYS.1007  ', 'F')).toBe('SYS.1007');
    expect(clipProviderCode('E42 something failed', 'F')).toBe('E42');
    expect(clipProviderCode('x'.repeat(40), 'F')).toBe('x'.repeat(40));
    expect(clipProviderCode(`${'x'.repeat(40)} words`, 'F')).toBe('x'.repeat(40));
    expect(clipProviderCode('x'.repeat(41), 'F')).toBe('F');
    expect(clipProviderCode('', 'F')).toBe('F');
    expect(clipProviderCode(': leading colon', 'F')).toBe('F');
    expect(clipProviderCode(null, 'HTTP_500')).toBe('HTTP_500');
  });

  it('clipProviderMessage folds whitespace onto one line and trims', () => {
    expect(clipProviderMessage('  disk\n\tfull   now ')).toBe('disk full now');
  });

  it('clipProviderMessage shows each control character and bidirectional override as a replacement character', () => {
    expect(clipProviderMessage('bad \u001b[31m red\u001b[0m')).toBe('bad \ufffd[31m red\ufffd[0m');
    expect(clipProviderMessage('file gpj.\u202eexe')).toBe('file gpj.\ufffdexe');
    const controls = ['\u0000', '\u0008', '\u000e', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f', '\u061c', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u2069'];
    for (const control of controls) expect(clipProviderMessage(`a${control}b`), JSON.stringify(control)).toBe('a\ufffdb');
    // Text around them is kept: accents, other scripts, the characters just outside each range.
    expect(clipProviderMessage('é ü \u00a0x Ω 中 \u2070 \u2029y')).toBe('é ü x Ω 中 \u2070 y');
    expect(clipProviderMessage('\u0007')).toBe('\ufffd');
  });

  it('clipProviderMessage shows invisible characters and lone surrogates as replacement characters, keeping emoji', () => {
    for (const invisible of ['\u00ad', '\u200b', '\u200d', '\u2060', '\u2064', '\ufff9', '\ufffb', '\udb40\udc41', '\udb40\udc7f', '\ud83d', '\ude00']) {
      expect(clipProviderMessage(`a${invisible}b`), JSON.stringify(invisible)).toBe('a\ufffdb');
    }
    expect(clipProviderMessage('ok 😀 \udb40\udc80 中')).toBe('ok 😀 \udb40\udc80 中');
    // A byte order mark is white space to the pattern that folds it.
    expect(clipProviderMessage('a\ufeffb')).toBe('a b');
  });

  it('clipProviderMessage never cuts a surrogate pair in half', () => {
    const clipped = clipProviderMessage(`${'a'.repeat(296)}😀${'b'.repeat(10)}`);
    expect(clipped).toBe(`${'a'.repeat(296)}...`);
    expect(clipProviderMessage(`${'a'.repeat(295)}😀${'b'.repeat(10)}`)).toBe(`${'a'.repeat(295)}😀...`);
  });

  it('clipProviderMessage keeps 300 characters and clips longer ones to 297 and an ellipsis', () => {
    expect(clipProviderMessage('x'.repeat(300))).toBe('x'.repeat(300));
    expect(clipProviderMessage('y'.repeat(301))).toBe(`${'y'.repeat(297)}...`);
  });

  it('clipProviderMessage falls back for no text, blank text or no string', () => {
    expect(clipProviderMessage(undefined)).toBe('the provider reported an error');
    expect(clipProviderMessage(' \n ')).toBe('the provider reported an error');
    expect(clipProviderMessage('')).toBe('the provider reported an error');
    expect(clipProviderMessage({ message: 'x' }, 'fallback')).toBe('fallback');
    expect(clipProviderMessage('', 'fallback')).toBe('fallback');
  });
});
