import { GatewayError, clipProviderMessage } from '../domain/errors.js';
import type { SecretSet } from '../upstream/secrets.js';

/**
 * The last step of every error message built from a provider's words: the
 * account's secrets scrubbed once more, from the message as the client and
 * the log will read it. The answer was scrubbed before it was parsed, but a
 * mapper then joins words ("; " between OnApp's messages, ": " between
 * Danube's field and message, " " between OnApp's field and message) and
 * makes whitespace one space, so "correct horse" quoted in two fields, or
 * with a newline for its space, became the configured password after the
 * scrub. Cheap: it runs on errors only.
 */
export function scrubbedError(secrets: SecretSet, error: GatewayError): GatewayError {
  const message = secrets.scrub(error.message);
  // "[redacted]" may be longer than what it replaced: the message keeps its 300 characters.
  return message === error.message ? error : new GatewayError(error.code, clipProviderMessage(message), error.details);
}
