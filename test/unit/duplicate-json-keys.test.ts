import { describe, expect, it } from 'vitest';
import { repeatedJsonName, repeatedJsonNameMessage } from '../../src/server/duplicate-json-keys.js';

describe('repeatedJsonName', () => {
  it('names a name held twice by one object, at the top or deep inside', () => {
    expect(repeatedJsonName('{"query":"{ a }","query":"mutation { b }"}')).toBe('query');
    expect(repeatedJsonName('{"query":"q","variables":{"input":{"id":"a","name":"n","id":"b"}}}')).toBe('id');
    expect(repeatedJsonName('[1,{"a":[{"x":1},{"y":2,"y":3}]}]')).toBe('y');
  });

  it('names a name repeated after an object or a list it holds has closed', () => {
    // The object's names are kept apart from the inner one's, and found again once it closes.
    expect(repeatedJsonName('{"variables":{"id":1},"variables":{"id":2}}')).toBe('variables');
    expect(repeatedJsonName('{"x":{"a":1,"b":2},"x":3}')).toBe('x');
    expect(repeatedJsonName('{"a":{"b":1},"c":2}')).toBeUndefined();
    expect(repeatedJsonName('{"a":{"b":1},"b":2}')).toBeUndefined();
    expect(repeatedJsonName('{"a":[1],"a":2}')).toBe('a');
  });

  it('compares names as parsed: an escaped name is the name it spells', () => {
    expect(repeatedJsonName('{"query":"a","qu\\u0065ry":"b"}')).toBe('query');
    expect(repeatedJsonName('{"a\\"b":1,"a\\"b":2}')).toBe('a"b');
  });

  it('lets the same name through in different objects, and strings that are values or hold braces', () => {
    expect(repeatedJsonName('{"a":{"id":1},"b":{"id":2},"c":[{"id":3},{"id":4}]}')).toBeUndefined();
    expect(repeatedJsonName('{"query":"{ a, \\"query\\": b }","variables":{"x":"query","y":"query"}}')).toBeUndefined();
    expect(repeatedJsonName('{"a":"}","b":"{\\"a\\":1,","a2":"]"}')).toBeUndefined();
    expect(repeatedJsonName('{"list":["a","a"],"n":null}')).toBeUndefined();
    // A list's strings are values, even one spelling the name that holds the list.
    expect(repeatedJsonName('{"tags":["a","tags"]}')).toBeUndefined();
    expect(repeatedJsonName('{}')).toBeUndefined();
  });

  it('reads text that is no JSON without throwing', () => {
    for (const text of ['', '{', '{"a', '{"a":"\\', '}}]]', '"x"', '{"a":1,', 'not json']) expect(() => repeatedJsonName(text)).not.toThrow();
  });

  it('cuts a long name, and the message stays within a close frame', () => {
    const name = repeatedJsonName(`{"${'n'.repeat(500)}":1,"${'n'.repeat(500)}":2}`)!;
    // One run cut (clippedStart): none of it shown, as the log's scrub finds a credential's hex form only whole.
    expect(name).toBe('...');
    expect(repeatedJsonName(`{"${'word '.repeat(20)}":1,"${'word '.repeat(20)}":2}`)).toBe(`${'word '.repeat(8).slice(0, 40 - 7)}...`);
    expect(repeatedJsonName(`{"${'n'.repeat(40)}":1,"${'n'.repeat(40)}":2}`)).toBe('n'.repeat(40));
    expect(Buffer.byteLength(repeatedJsonNameMessage(name))).toBeLessThanOrEqual(123);
    expect(repeatedJsonNameMessage('qu\u0000ery')).toBe('the JSON sent names "qu?ery" twice in one object: send each name once');
  });
});
