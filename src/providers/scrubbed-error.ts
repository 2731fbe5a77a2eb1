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
  // Cut to the shown length only now: cut first, a password rebuilt across the cut was never
  // whole to be found, and its first characters were shown.
  const message = clipProviderMessage(secrets.scrub(error.message));
  return message === error.message ? error : new GatewayError(error.code, message, error.details);
}

/**
 * How long joined provider words may grow before scrubbedError finishes them:
 * long enough that the shown 300 characters are whole words of the answer,
 * bounded so that a provider's megabyte of error text is not scrubbed whole.
 */
const UNSCRUBBED_MESSAGE_LENGTH = 2_000;

/**
 * Provider words for a message that scrubbedError finishes: one line, free of
 * control characters, and cut at UNSCRUBBED_MESSAGE_LENGTH rather than the
 * shown length, which scrubbedError cuts to after its scrub.
 */
export const wordsBeforeScrub = (message: unknown, fallback?: string): string => clipProviderMessage(message, fallback, UNSCRUBBED_MESSAGE_LENGTH);
