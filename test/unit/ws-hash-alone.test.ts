import { describe, expect, it } from 'vitest';
import { hashAloneAsTaken } from '../../src/server/ws/hash-alone.js';

const extensions = { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } };
const subscribe = (payload: unknown) => JSON.stringify({ id: '1', type: 'subscribe', payload });
const taken = (text: string) => {
  const out = hashAloneAsTaken(text);
  return out === undefined ? undefined : (JSON.parse(out) as { id: string; type: string; payload: Record<string, unknown> });
};

describe('hashAloneAsTaken: which messages are a hash alone, and what graphql-ws is handed', () => {
  it('fills in an empty query and keeps the rest of the message', () => {
    expect(taken(subscribe({ extensions, variables: { a: 1 }, operationName: 'Q' }))).toEqual({ id: '1', type: 'subscribe', payload: { extensions, variables: { a: 1 }, operationName: 'Q', query: '' } });
  });

  it.each([
    ['null', null],
    ['false', false],
    ['0', 0],
  ])('reads a `query` of %s as none, as Apollo does', (_name, query) => {
    expect(taken(subscribe({ query, extensions }))?.payload.query).toBe('');
  });

  it.each([
    ['a text', '{ a }'],
    ['an empty text', ''],
    ['a number', 5],
    ['an object', {}],
  ])('leaves a `query` of %s to the text path (or graphql-ws refusal)', (_name, query) => {
    expect(hashAloneAsTaken(subscribe({ query, extensions }))).toBeUndefined();
  });

  it.each([
    ['no extensions', {}],
    ['extensions that are an array', { extensions: [extensions] }],
    ['a falsy persistedQuery', { extensions: { persistedQuery: null } }],
    ['persistedQuery of 0', { extensions: { persistedQuery: 0 } }],
  ])('takes no message with %s', (_name, payload) => {
    expect(hashAloneAsTaken(subscribe(payload))).toBeUndefined();
  });

  it('takes only a subscribe with a payload object, and nothing that does not parse', () => {
    expect(hashAloneAsTaken(JSON.stringify({ type: 'ping', payload: { extensions } }))).toBeUndefined();
    expect(hashAloneAsTaken(JSON.stringify({ id: '1', type: 'complete', payload: { extensions } }))).toBeUndefined();
    expect(hashAloneAsTaken(JSON.stringify({ id: '1', type: 'subscribe', payload: [{ extensions }] }))).toBeUndefined();
    expect(hashAloneAsTaken(JSON.stringify([{ id: '1', type: 'subscribe', payload: { extensions } }]))).toBeUndefined();
    expect(hashAloneAsTaken(`${subscribe({ extensions })}x`)).toBeUndefined();
  });

  it('reads names written with JSON escapes as JSON does', () => {
    expect(taken(subscribe({ extensions }).replace('persistedQuery', 'persisted\\u0051uery'))?.payload.query).toBe('');
    expect(taken(subscribe({ extensions }).replace('subscribe', 'subscrib\\u0065'))?.type).toBe('subscribe');
  });

  it('writes a number past a double\'s range back as one that reads as Infinity, not null', () => {
    const text = subscribe({ extensions, variables: { up: 1, down: 2, kept: 3 } }).replace('"up":1', '"up":1e400').replace('"down":2', '"down":-1e400');
    expect(taken(text)?.payload.variables).toEqual({ up: Infinity, down: -Infinity, kept: 3 });
  });

  it('keeps strings and a `__proto__` name as sent', () => {
    const text = subscribe({ extensions, variables: { s: 'non-finite \ud800 "x"' } }).replace('"s"', '"__proto__":{"q":1},"s"');
    const variables = taken(text)?.payload.variables as Record<string, unknown>;
    expect(Object.hasOwn(variables, '__proto__')).toBe(true);
    expect(variables.s).toBe('non-finite \ud800 "x"');
  });
});

describe('hashAloneAsTaken: numbers past a double\'s range where they hide', () => {
  it('finds them in arrays, nested objects and a field named `__proto__`, and leaves 1e100 and digits in strings as they are', () => {
    const text = subscribe({ extensions, variables: { list: [1, [2]], deep: { n: 3 }, big: 4, s: '1e400' } })
      .replace('[1,[2]]', '[1,[2e400]]')
      .replace('"n":3', '"n":-1e400,"__proto__":{"m":5}')
      .replace('"m":5', '"m":9e999')
      .replace('"big":4', '"big":1e100');
    const variables = taken(text)?.payload.variables as Record<string, unknown>;
    expect(variables.list).toEqual([1, [Infinity]]);
    expect((variables.deep as Record<string, unknown>).n).toBe(-Infinity);
    const proto = Object.getOwnPropertyDescriptor(variables.deep, '__proto__')?.value as Record<string, unknown>;
    expect(proto.m).toBe(Infinity);
    expect(variables.big).toBe(1e100);
    expect(variables.s).toBe('1e400');
  });
});
