import { UnusableNativeId } from '../domain/unusable-native-id.js';

/**
 * A write on what this request found in the provider's own list (an instance, a backup, a
 * definition): the gateway gave the client its id, so an id the provider cannot be asked by
 * (a Danube hostname with `/` or `..`, UnusableNativeId) is the provider's data, not the client's
 * typo. The reads answer so (the loaders' `blamed`); a write answered BAD_USER_INPUT "not a valid
 * Danube hostname" for an id the gateway handed out. An id the client made up never gets here:
 * it is not listed, so the read before the write refused it (NOT_FOUND, or BAD_USER_INPUT).
 */
export async function writeOnListed<T>(providerId: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw error instanceof UnusableNativeId ? error.listedByProvider(providerId) : error;
  }
}
