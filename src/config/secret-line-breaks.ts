/**
 * Secrets that reach the config with whitespace at their ends or a line break inside: a secret
 * made from a file keeps the file's last newline (`kubectl create secret --from-file`, `echo x |
 * base64`). Validated as they were, every request with that client key was UNAUTHENTICATED (no
 * header can carry a line break, and a header's surrounding spaces are dropped) and every login
 * with that password refused, with nothing pointing at the newline.
 */

/** A client key no caller can send as it is configured, or null. Never quotes the key. */
export function clientKeyProblem(key: string): string | null {
  if (key === key.trim()) return null;
  return "begins or ends with whitespace or a line break (a secret file's last newline?): no caller can send that key; remove it";
}

/** A provider credential holding a line break, or null: no provider's login form takes one. */
export function providerSecretProblem(value: string): string | null {
  if (!/[\r\n]/.test(value)) return null;
  return "holds a line break (a secret file's last newline?): the provider would refuse it; remove it";
}
