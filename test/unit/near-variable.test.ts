import { describe, expect, it } from 'vitest';
import { nearVariable } from '../../src/config/near-variable.js';

/** The variable named beside "NAME is not set" (near-variable.ts), by plain calls. */
describe('nearVariable', () => {
  it('names the nearest variable set, not the first the environment lists', () => {
    // ZOMRO_TOKEN_X is two edits from ZOMRO_TOKEN (allowed in a long name), ZOMRO_TOKN one.
    expect(nearVariable('ZOMRO_TOKEN', { ZOMRO_TOKEN_X: 'a', ZOMRO_TOKN: 'b' })).toBe('ZOMRO_TOKN is set: one of the two names is misspelt; write ${ZOMRO_TOKN} here, or rename the variable to ZOMRO_TOKEN');
  });

  it('a slip that may be the config\'s as well as the variable\'s: says both ways to put it right, not only "did you mean" the config\'s name', () => {
    // The config's ${ZOMRO_SESION} is the typo: "did you mean ZOMRO_SESION?" asked for the right variable to be renamed to it.
    expect(nearVariable('ZOMRO_SESION', { ZOMRO_SESSION: 'a' })).toBe('ZOMRO_SESSION is set: one of the two names is misspelt; write ${ZOMRO_SESSION} here, or rename the variable to ZOMRO_SESION');
    // guard: a slip in _FILE is the variable's alone (the config names NAME, never NAME_FILE)
    expect(nearVariable('OPS_KEY', { OPS_KEY_FIEL: 'a' })).toBe('OPS_KEY_FIEL is set: did you mean OPS_KEY_FILE?');
  });

  it('names the one in another case before one a letter apart', () => {
    expect(nearVariable('ZOMRO_TOKEN', { ZOMRO_TOKEM: 'a', Zomro_Token: 'b' })).toBe('Zomro_Token is set: names are case-sensitive, write ZOMRO_TOKEN');
  });
});
