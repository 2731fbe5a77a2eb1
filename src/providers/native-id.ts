import { GatewayError } from '../domain/errors.js';

/**
 * A provider's id field as the text of a native id. A JSON number past 2^53
 * has lost digits by the time it is parsed (9007199254740993 reads as
 * 9007199254740992), so two objects could share one id and a mutation meant
 * for one act on the other: an id that is not a safe integer or a string
 * makes the answer invalid, never a guessed id.
 *
 * A record without its id makes the answer invalid too. None of the four
 * APIs documents an id-less record, so one means the answer is not what the
 * mapper reads (another API version, an error page shaped as a list); taken
 * as an empty id, a list of them read as a healthy account whose objects no
 * id, mutation or cache entry could address.
 */
export function idText(value: unknown, provider: string): string {
  const id = idTextOrNull(value, provider);
  if (id === null) throw invalidAnswer(provider, 'a record without its id');
  return id;
}

/** As `idText`, with null for an absent or empty id (a reference that may be missing). */
export function idTextOrNull(value: unknown, provider: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (Number.isSafeInteger(value)) return String(value);
  throw invalidAnswer(provider, 'an id that cannot be read exactly (not a string nor an integer below 2^53)');
}

function invalidAnswer(provider: string, what: string): GatewayError {
  return new GatewayError('PROVIDER_ERROR', `provider ${provider} sent ${what}`, { provider, providerCode: 'INVALID_RESPONSE' });
}
