import { clipProviderCode } from '../../domain/errors.js';

/**
 * A provider's state word as a message may quote it: the word itself when
 * it is a short plain token (every word Zomro's panel knows is one), else
 * no word at all. A provider's string is hostile: it may be long, carry
 * control characters, or hold whatever a broken panel put there.
 */
export function quotedWord(word: string): string {
  const token = clipProviderCode(word, '');
  return token !== '' && token === word ? `"${token}"` : 'a word that is no plain status';
}
