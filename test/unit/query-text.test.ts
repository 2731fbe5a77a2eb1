import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { queryTextOf } from '../../src/server/query-text.js';

/** The parts of a request queryTextOf reads, as express hands them over. */
const request = (method: string, url: string, body?: unknown): Request => ({ method, url, body }) as unknown as Request;
const get = (url: string): unknown => queryTextOf(request('GET', url));

describe('queryTextOf: the query Apollo Server will run', () => {
  it("a POST's (or any other method's) from the parsed body, whatever its type", () => {
    expect(queryTextOf(request('POST', '/graphql?query=%7Bfrom_url%7D', { query: '{ instances { totalCount } }' }))).toBe('{ instances { totalCount } }');
    expect(queryTextOf(request('PUT', '/graphql', { query: '{ a }' }))).toBe('{ a }');
    expect(queryTextOf(request('POST', '/graphql', { query: ['{ a }'] }))).toEqual(['{ a }']);
    expect(queryTextOf(request('POST', '/graphql?query=%7Ba%7D', {}))).toBeUndefined();
    expect(queryTextOf(request('POST', '/graphql?query=%7Ba%7D', undefined))).toBeUndefined();
  });

  it("a GET's from the URL, decoded as URLSearchParams decodes it; not from the body", () => {
    expect(queryTextOf(request('GET', '/graphql?query=%7B%20a%20%7D', { query: '{ from_body }' }))).toBe('{ a }');
    expect(get('/graphql?query={+a+}')).toBe('{ a }');
    expect(get('/graphql?operationName=A&query=%7Ba%7D&variables=%7B%7D')).toBe('{a}');
    expect(get('/graphql?query=')).toBe('');
  });

  it('a GET with no query is none: no "?", no query parameter, or only a look-alike', () => {
    expect(get('/graphql')).toBeUndefined();
    expect(get('/graphql?')).toBeUndefined();
    expect(get('/graphql?operationName=A')).toBeUndefined();
    expect(get('/graphql?xquery=%7Ba%7D')).toBeUndefined();
    expect(get('/graphql?query')).toBe('');
    // Without a "?" the whole target is a path, whatever it holds.
    expect(get('/graphql&query=%7Ba%7D')).toBeUndefined();
  });

  it('the first query of several (Apollo refuses a second)', () => {
    expect(get('/graphql?query=%7Bfirst%7D&query=%7Bsecond%7D')).toBe('{first}');
  });

  it('a query after 1,000 other parameters (where node\'s querystring stops) is still read', () => {
    const others = Array.from({ length: 1_000 }, (_, index) => `p${index}=1`).join('&');
    expect(get(`/graphql?${others}&query=%7B%20deep%20%7D`)).toBe('{ deep }');
  });

  it('a "#" ends the search part, as url.parse reads it', () => {
    expect(get('/graphql?query=%7Ba%7D#&query=%7Bb%7D')).toBe('{a}');
    expect(get('/graphql?query=%7Ba#b%7D')).toBe('{a');
    expect(get('/graphql?x=1#&query=%7Ba%7D')).toBeUndefined();
    expect(get('/graphql#?query=%7Ba%7D')).toBeUndefined();
    // A target that is only a search part, or only a fragment, read as url.parse reads it.
    expect(get('?query=%7Ba%7D')).toBe('{a}');
    expect(get('#?query=%7Ba%7D')).toBeUndefined();
  });
});
