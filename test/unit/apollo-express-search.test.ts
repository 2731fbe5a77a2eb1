import { parse } from 'node:url';
import { describe, expect, it } from 'vitest';
import { searchOf } from '../../src/server/apollo-express.js';

/** The query string Apollo is handed for a GET: what the package's `url.parse(...).search ?? ''` gave. */
describe('searchOf', () => {
  const targets = ['/graphql', '/graphql?', '/graphql?query=%7Binstances%7D', '/graphql?query={a}&operationName=A', '/g?a=1#frag', '/g#frag?a=1', '/g?a=1?b=2', '/?', ''];
  it.each(targets)('reads %j as url.parse did', (target) => {
    expect(searchOf(target)).toBe(parse(target).search ?? '');
  });
});
