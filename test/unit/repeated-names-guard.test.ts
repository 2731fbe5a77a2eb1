import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { repeatedNamesGuard } from '../../src/server/repeated-names-guard.js';

/**
 * The refusal of a JSON body (or a GET's `variables` or `extensions`) that names one thing twice
 * in one object: the gateway would act on the last, a proxy in front may have judged the first.
 * `keep` is handed the body's bytes by express.json before its parse; `refuse` answers after it.
 * test/security/repeated-json-names.test.ts runs the whole gateway.
 */
interface Seen {
  nexts: number;
  refusedNames: string[];
  status?: number;
  body?: unknown;
}

type Guard = ReturnType<typeof repeatedNamesGuard>;

/** `url` as express hands it inside `app.use('/graphql', ...)`: what follows the mount, `/?query=...` for `/graphql?query=...`. */
const requestOf = (request: Partial<Request>): Request => ({ method: 'POST', url: '/', ...request }) as Request;

function answer(guard: Guard, seen: Seen, req: Request, kept?: string): Seen {
  if (kept !== undefined) guard.keep(req as IncomingMessage, undefined, Buffer.from(kept, 'utf8'));
  const res = {
    status(code: number) {
      seen.status = code;
      return this;
    },
    json(body: unknown) {
      seen.body = body;
      return this;
    },
  } as unknown as Response;
  const next: NextFunction = () => void (seen.nexts += 1);
  guard.refuse(req, res, next);
  return seen;
}

function run(request: Partial<Request>, kept?: string): Seen {
  const seen: Seen = { nexts: 0, refusedNames: [] };
  return answer(repeatedNamesGuard((_req, name) => void seen.refusedNames.push(name)), seen, requestOf(request), kept);
}

const refused = (name: string): Seen => ({
  nexts: 0,
  refusedNames: [name],
  status: 400,
  body: { errors: [{ message: `the JSON sent names "${name}" twice in one object: send each name once`, extensions: { code: 'BAD_USER_INPUT' } }] },
});
const PASSED: Seen = { nexts: 1, refusedNames: [] };

describe('repeatedNamesGuard: JSON that names one thing twice in one object', () => {
  it('refuses a body that does, 400 BAD_USER_INPUT, and tells whoever logs it which name', () => {
    expect(run({}, '{"query":"{ __typename }","variables":{"id":"a","id":"b"}}')).toEqual(refused('id'));
  });

  it('refuses a GET whose variables or extensions do, read as Apollo reads the URL (a `#` ends it), whether or not a body came', () => {
    const variables = encodeURIComponent('{"id":"a","id":"b"}');
    const extensions = encodeURIComponent('{"persistedQuery":{"version":1,"version":2}}');
    expect(run({ method: 'GET', url: `/?query=x&variables=${variables}` })).toEqual(refused('id'));
    expect(run({ method: 'GET', url: `/?query=x&extensions=${extensions}#top` })).toEqual(refused('version'));
    expect(run({ method: 'GET', url: `/?query=x&variables=%7B%7D&variables=${variables}` })).toEqual(refused('id'));
    // First in the search, or the only parameter: read from the character after the `?`.
    expect(run({ method: 'GET', url: `/?variables=${variables}&query=x` })).toEqual(refused('id'));
    expect(run({ method: 'GET', url: `/sub?variables=${variables}` })).toEqual(refused('id'));
    expect(run({ method: 'GET', url: `/?query=x&variables=${variables}` }, '{"query":"x"}')).toEqual(refused('id'));
  });

  it('passes on a body naming each thing once, no body, a GET without a search or with its repeat after the `#`, and a POST\'s search', () => {
    const variables = encodeURIComponent('{"id":"a","id":"b"}');
    expect(run({}, '{"query":"{ __typename }","variables":{"id":"a","other":{"id":"b"}}}')).toEqual(PASSED);
    expect(run({})).toEqual(PASSED);
    expect(run({ method: 'GET', url: '/' })).toEqual(PASSED);
    expect(run({ method: 'GET', url: `/?query=x#&variables=${variables}` })).toEqual(PASSED);
    expect(run({ method: 'GET', url: `/?query=x&operationName=${variables}` })).toEqual(PASSED);
    expect(run({ method: 'POST', url: `/?variables=${variables}` }, '{"query":"x"}')).toEqual(PASSED);
  });

  it('forgets a body once answered: the same request object asked again is judged by what it holds then', () => {
    const seen: Seen = { nexts: 0, refusedNames: [] };
    const guard = repeatedNamesGuard((_req, name) => void seen.refusedNames.push(name));
    const shared = requestOf({});
    answer(guard, seen, shared, '{"a":1,"a":2}');
    expect(seen.refusedNames).toEqual(['a']);
    answer(guard, seen, shared);
    expect(seen).toMatchObject({ nexts: 1, refusedNames: ['a'] });
  });
});
