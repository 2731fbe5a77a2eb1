/**
 * A secret's UTF-8 bytes in hex, in small letters and in capitals: a provider's debug dump of the
 * request it refused, a log line hex-encoding what it was sent (Java's `printHexBinary` and
 * .NET's `ToString("X2")` write capitals, Node's and Python's small letters). The hex of a longer
 * text holding the secret holds these whole: each byte is two digits, so there is no alignment
 * to look at as base64 has (secrets.ts, base64Forms). Searched as they stand and through the
 * answer's escapes, as the base64 forms are.
 */
export function hexForms(secret: string): string[] {
  const hex = Buffer.from(secret, 'utf8').toString('hex');
  return [...new Set([hex, hex.toUpperCase()])];
}
