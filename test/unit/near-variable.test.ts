import { describe, expect, it } from 'vitest';
import { nearVariable } from '../../src/config/near-variable.js';

/** The variable named beside "NAME is not set" (near-variable.ts), by plain calls. */
describe('nearVariable', () => {
  it('names the nearest variable set, not the first the environment lists', () => {
    // ZOMRO_TOKEN_X is two edits from ZOMRO_TOKEN (allowed in a long name), ZOMRO_TOKN one.
    expect(nearVariable('ZOMRO_TOKEN', { ZOMRO_TOKEN_X: 'a', ZOMRO_TOKN: 'b' })).toBe('ZOMRO_TOKN is set: did you mean ZOMRO_TOKEN?');
  });

  it('names the one in another case before one a letter apart', () => {
    expect(nearVariable('ZOMRO_TOKEN', { ZOMRO_TOKEM: 'a', Zomro_Token: 'b' })).toBe('Zomro_Token is set: names are case-sensitive, write ZOMRO_TOKEN');
  });
});
