import { GatewayError } from '../domain/errors.js';

/**
 * A provider's id field as the text of a native id ('' when absent). A JSON
 * number past 2^53 has lost digits by the time it is parsed
 * (9007199254740993 reads as 9007199254740992), so two objects could share
 * one id and a mutation meant for one act on the other: an id that is not a
 * safe integer or a string makes the answer invalid, never a guessed id.
 */
export function idText(value: unknown, provider: string): string {
  return idTextOrNull(value, provider) ?? '';
}

/** As `idText`, with null for an absent or empty id (a reference that may be missing). */
export function idTextOrNull(value: unknown, provider: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (Number.isSafeInteger(value)) return String(value);
  throw new GatewayError('PROVIDER_ERROR', `provider ${provider} sent an id that cannot be read exactly (not a string nor an integer below 2^53)`, { provider, providerCode: 'INVALID_RESPONSE' });
}
