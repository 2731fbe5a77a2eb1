import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { scrubbedError, wordsBeforeScrub } from '../../src/providers/scrubbed-error.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

const PASSWORD = 'correct horse battery';

describe('scrubbedError: the last scrub of a message built from provider words', () => {
  const secrets = new SecretSet();
  secrets.add(PASSWORD);
  const details = { provider: 'onapp-1', providerCode: 'HTTP_422' };

  it('a message with no secret is the same error, unchanged', () => {
    const error = new GatewayError('PROVIDER_ERROR', 'backup refused: disk busy', details);
    expect(scrubbedError(secrets, error)).toBe(error);
  });

  it('a secret that mapping put back together (two fields joined, a newline made a space) is redacted; code and details kept', () => {
    // The answer held "correct\nhorse battery"; the mapper made every whitespace run one space.
    const error = new GatewayError('PROVIDER_ERROR', `login refused: password ${PASSWORD} is wrong`, details);
    const scrubbed = scrubbedError(secrets, error);
    expect(scrubbed).toBeInstanceOf(GatewayError);
    expect(scrubbed.message).toBe(`login refused: password ${REDACTED} is wrong`);
    expect(scrubbed.code).toBe('PROVIDER_ERROR');
    expect(scrubbed.details).toEqual(details);
  });

  it('keeps the message to 300 characters when "[redacted]" is longer than what it replaced', () => {
    const short = new SecretSet();
    short.add('s3cret');
    const message = `${'x'.repeat(290)} s3cret`;
    const scrubbed = scrubbedError(short, new GatewayError('PROVIDER_ERROR', message, details));
    expect(scrubbed.message).toHaveLength(300);
    expect(scrubbed.message).toBe(`${'x'.repeat(290)} [redac...`);
    expect(scrubbed.message).not.toContain('s3cret');
  });

  it('cuts a long message to 300 characters after the scrub, so a password rebuilt across the cut is redacted, not shown in part', () => {
    const joined = wordsBeforeScrub(`${'x'.repeat(280)} ${PASSWORD} and more words after it`);
    expect(joined.length).toBeGreaterThan(300);
    const scrubbed = scrubbedError(secrets, new GatewayError('PROVIDER_ERROR', joined, details));
    expect(scrubbed.message).toBe(`${'x'.repeat(280)} ${REDACTED} and m...`);
    expect(scrubbed.message).toHaveLength(300);
  });

  it('cuts a long message with no secret in it to 300 characters too', () => {
    const scrubbed = scrubbedError(secrets, new GatewayError('PROVIDER_ERROR', wordsBeforeScrub('y'.repeat(5_000)), details));
    expect(scrubbed.message).toBe(`${'y'.repeat(297)}...`);
  });

  it('leaves provider words for the last scrub one line, free of control characters, and at most 2,000 characters', () => {
    expect(wordsBeforeScrub(' two\n\tlines\u001b[31m ')).toBe('two lines\ufffd[31m');
    expect(wordsBeforeScrub(42, 'fallback')).toBe('fallback');
    expect(wordsBeforeScrub('z'.repeat(5_000))).toBe(`${'z'.repeat(1_997)}...`);
  });
});
