import { describe, expect, it } from 'vitest';
import { ANSWER_AS_IT_IS, answerIsCoded, codedAnswer } from '../../src/upstream/content-coding.js';

/**
 * content-coding.ts asked directly: until now only `compressed-provider-answers` reached it, over HTTP
 * (mutation testing, 2026-12-07: every mutant reached by no unit test).
 */
describe('answerIsCoded', () => {
  it('reads each compressing coding in the registry, and its x- name, as coded', () => {
    for (const coding of ['gzip', 'x-gzip', 'deflate', 'br', 'compress', 'x-compress', 'zstd', 'pack200-gzip', 'dcb', 'dcz']) {
      expect(answerIsCoded({ 'content-encoding': coding }), coding).toBe(true);
    }
  });

  it('reads a coding in any case, with blanks around it, and anywhere in a list of them', () => {
    expect(answerIsCoded({ 'content-encoding': 'GZip' })).toBe(true);
    expect(answerIsCoded({ 'content-encoding': ' br ' })).toBe(true);
    expect(answerIsCoded({ 'content-encoding': 'identity, gzip' })).toBe(true);
    expect(answerIsCoded({ 'content-encoding': 'gzip,identity' })).toBe(true);
    expect(answerIsCoded({ 'content-encoding': 'none ,\tDEFLATE' })).toBe(true);
  });

  it('reads no header, identity, and names that are no coding (a charset, "none", a coding\'s name run on) as the body as it is', () => {
    expect(answerIsCoded({})).toBe(false);
    expect(answerIsCoded({ 'content-type': 'application/json' })).toBe(false);
    for (const name of ['identity', 'IDENTITY', 'UTF-8', 'none', '', ',', 'gzipped', 'x-br', 'gzip-x', 'g zip']) {
      expect(answerIsCoded({ 'content-encoding': name }), name).toBe(false);
    }
  });
});

describe('codedAnswer and the request header', () => {
  it('asks every provider for its answer as it is', () => {
    expect(ANSWER_AS_IT_IS).toEqual({ 'accept-encoding': 'identity' });
  });

  it('refuses a coded answer as the provider\'s error, saying what came and where to look, its coding\'s name not repeated', () => {
    const error = codedAnswer('acme');
    expect(error.code).toBe('PROVIDER_ERROR');
    expect(error.message).toBe('provider acme sent a compressed answer (Content-Encoding) though asked for none (Accept-Encoding: identity): check a proxy in front of it');
    expect(error.details).toEqual({ provider: 'acme', providerCode: 'INVALID_RESPONSE' });
  });
});
