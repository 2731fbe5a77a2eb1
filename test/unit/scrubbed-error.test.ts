import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { scrubbedError } from '../../src/providers/scrubbed-error.js';
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
});
