import { describe, expect, it } from 'vitest';
import { isBareNotFound, isDanubeNotFound } from '../../src/providers/danube/own-not-found.js';
import { isOnappErrorBody } from '../../src/providers/onapp/error-body.js';

/**
 * The edges of the 404 readers that `own-not-found` left (mutation testing, 2026-12-07): a detail of
 * blanks, a bare "not found" with more words after it, no body at all, and an OnApp `errors` list
 * holding something other than text.
 */
describe('Danube\'s 404 bodies, at the edges', () => {
  it('reads a detail of blanks as no detail, and words after "Not found." as Danube\'s own', () => {
    expect(isDanubeNotFound({ detail: '   ' })).toBe(false);
    expect(isDanubeNotFound({ detail: 'Not found. VM 12 was deleted' })).toBe(true);
    expect(isBareNotFound({ detail: 'Not found. VM 12 was deleted' })).toBe(false);
  });

  it('reads the bare words, in any case and with blanks, as the router\'s; anything else as not bare', () => {
    for (const detail of ['Not found.', 'not found', '  NOT FOUND  ']) expect(isBareNotFound({ detail }), detail).toBe(true);
    for (const body of [{ detail: 404 }, { detail: ['Not found.'] }, { detail: null }, {}, null, undefined, 'Not found.', ['Not found.']]) expect(isBareNotFound(body), JSON.stringify(body)).toBe(false);
  });

  it('reads no body, text or a list as no detail', () => {
    for (const body of [undefined, null, 'vm 12 not found', 12]) expect(isDanubeNotFound(body), String(body)).toBe(false);
  });
});

describe('OnApp\'s error bodies, at the edges', () => {
  it('reads an errors list of other than text as OnApp\'s own, and a reason phrase after a dot as none', () => {
    expect(isOnappErrorBody({ errors: [{ message: 'Not Found' }] })).toBe(true);
    expect(isOnappErrorBody({ errors: [404] })).toBe(true);
    expect(isOnappErrorBody({ error: '.Not Found' })).toBe(true);
    expect(isOnappErrorBody({ error: 'Not Found.' })).toBe(false);
  });
});
