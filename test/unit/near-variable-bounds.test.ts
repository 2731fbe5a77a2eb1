import { describe, expect, it } from 'vitest';
import { nearVariable } from '../../src/config/near-variable.js';

/**
 * nearVariable's bounds (mutation testing, 2026-12-07: each passed `near-variable`): a short name in
 * another case, a slip in a name of 6 characters (none named), two slips in one of exactly 10 (one
 * allowed), and two names equally near named in the same order whatever the environment's.
 */
describe('nearVariable at its bounds', () => {
  it('names a short variable set in another case, however short', () => {
    expect(nearVariable('PORT', { Port: '8080' })).toBe('Port is set: names are case-sensitive, write PORT');
  });

  it('names no slip in a name of 6 characters or fewer, and one in a name of 7', () => {
    expect(nearVariable('BG_URL', { BG_URI: 'x' })).toBeUndefined();
    expect(nearVariable('BG_URLS', { BG_URIS: 'x' })).toBe('BG_URIS is set: one of the two names is misspelt; write ${BG_URIS} here, or rename the variable to BG_URLS');
  });

  it('names one slip in a name of 10 characters, not two; two in one of 11', () => {
    expect(nearVariable('LOG_FORMAT', { LOG_FORMAX: 'x' })).toBe('LOG_FORMAX is set: one of the two names is misspelt; write ${LOG_FORMAX} here, or rename the variable to LOG_FORMAT');
    expect(nearVariable('LOG_FORMAT', { LOG_FORXAX: 'x' })).toBeUndefined();
    expect(nearVariable('LOG_FORMATS', { LOG_FORXATX: 'x' })).toBe('LOG_FORXATX is set: one of the two names is misspelt; write ${LOG_FORXATX} here, or rename the variable to LOG_FORMATS');
  });

  it('names the first in order of two equally near, whatever order the environment lists them in', () => {
    expect(nearVariable('ZOMRO_TOKEN', { ZOMRO_TOKEZ: 'a', ZOMRO_TOKEM: 'b' })).toBe('ZOMRO_TOKEM is set: one of the two names is misspelt; write ${ZOMRO_TOKEM} here, or rename the variable to ZOMRO_TOKEN');
    expect(nearVariable('ZOMRO_TOKEN', { ZOMRO_TOKEM: 'b', ZOMRO_TOKEZ: 'a' })).toBe('ZOMRO_TOKEM is set: one of the two names is misspelt; write ${ZOMRO_TOKEM} here, or rename the variable to ZOMRO_TOKEN');
  });

  it('names no variable whose name has no plain word\'s form, however near (a token exported as a name is not quoted)', () => {
    expect(nearVariable('ZOMRO_TOKEN', { ZoMrO_ToKeN: 'a' })).toBeUndefined();
    expect(nearVariable('ZOMRO_TOKEN', { ZoMrO_ToKeN: 'a', Zomro_Token: 'b' })).toBe('Zomro_Token is set: names are case-sensitive, write ZOMRO_TOKEN');
  });
});
