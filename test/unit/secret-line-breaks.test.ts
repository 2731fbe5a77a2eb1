import { describe, expect, it } from 'vitest';
import { clientKeyProblem, providerSecretProblem } from '../../src/config/secret-line-breaks.js';

describe('clientKeyProblem', () => {
  it('passes a key with nothing around it, spaces inside included', () => {
    expect(clientKeyProblem('k-0123456789abcdef')).toBeNull();
    expect(clientKeyProblem('a key with spaces')).toBeNull();
  });

  it('names a key that ends in a secret file\'s newline, or begins or ends with whitespace, without quoting it', () => {
    for (const key of ['k-0123456789abcdef\n', 'k-0123456789abcdef\r\n', ' k-0123456789abcdef', 'k-0123456789abcdef\t']) {
      const problem = clientKeyProblem(key);
      expect(problem).toBe("begins or ends with whitespace or a line break (a secret file's last newline?): no caller can send that key; remove it");
      expect(problem).not.toContain('0123456789');
    }
  });
});

describe('providerSecretProblem', () => {
  it('passes a credential without a line break, spaces at its ends included (a password may hold them)', () => {
    expect(providerSecretProblem('pass word ')).toBeNull();
    expect(providerSecretProblem('\tpassword')).toBeNull();
  });

  it('names a credential holding a line break anywhere, without quoting it', () => {
    for (const value of ['password\n', 'pass\rword', '\npassword']) {
      const problem = providerSecretProblem(value);
      expect(problem).toBe("holds a line break (a secret file's last newline?): the provider would refuse it; remove it");
      expect(problem).not.toContain('password');
    }
  });
});
