import { describe, expect, it } from 'vitest';
import { MAX_RAW_DEPTH, NESTED_TOO_DEEP } from '../../src/providers/raw.js';
import { elems, MAX_FIELD_MAP_CHARS, originalOf, unwrap, wireError } from '../../src/providers/zomro/wire.js';
import { SecretSet } from '../../src/upstream/secrets.js';

describe('zomro wire: unwrapping BILLmanager values', () => {
  it('unwraps {"$": v} at any depth, drops other $-keys, keeps field order', () => {
    const doc = JSON.parse('{"elem":[{"id":{"$":"7"},"region":{"$":"NL-2","$orig":"nl-2"},"$key":"x","nested":{"size":{"$":"3"}},"list":[{"$":"a"},{"$":"b"}]}]}') as Record<string, unknown>;
    const [row] = elems(doc);
    expect(row).toEqual({ id: '7', region: 'NL-2', nested: { size: '3' }, list: ['a', 'b'] });
    expect(Object.keys(row ?? {})).toEqual(['id', 'region', 'nested', 'list']);
  });

  it('keeps a "__proto__" field a provider sends as a field, not as the prototype', () => {
    const out = unwrap(JSON.parse('{"__proto__":{"isAdmin":{"$":"yes"}},"name":{"$":"n"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'name']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"isAdmin":"yes"},"name":"n"}');
  });
});

describe('zomro wire: $object written as JSON inside the JSON string', () => {
  const TOKEN = 'c2Vzc2lvbi/0b2tlbg==';
  const secrets = new SecretSet();
  secrets.add(TOKEN);
  const scrub = (text: string) => secrets.scrub(text);

  // The inner JSON's own escapes ("\/" from PHP's encoder, any \uXXXX): the scrub of the answer's text reads through them,
  // and the field map is scrubbed once more as it is decoded, so neither alone lets the token through.
  it.each([
    ['PHP writes "/" as "\\/"', String.raw`{"doc":{"error":{"$type":"value","$object":"{\"name\":[\"value rejected, request: func=vds&auth=c2Vzc2lvbi\\\/0b2tlbg==\"]}","msg":{"$":"value rejected"}}}}`],
    ['a character as \\uXXXX', String.raw`{"doc":{"error":{"$type":"value","$object":"{\"name\":[\"value rejected, request: func=vds&auth=\\u00632Vzc2lvbi/0b2tlbg==\"]}","msg":{"$":"value rejected"}}}}`],
  ])('scrubs the decoded field messages when %s', (_how, answer) => {
    expect(secrets.scrub(answer)).toContain('auth=[redacted]');
    const unscrubbed = (JSON.parse(answer) as { doc: Record<string, unknown> }).doc;
    expect(wireError(unscrubbed, scrub)?.fields).toEqual(new Map([['name', ['value rejected, request: func=vds&auth=[redacted]']]]));
  });

  it('reads a field map without a secret as it was, and a plain $object as a name', () => {
    const map = JSON.parse(String.raw`{"error":{"$type":"value","$object":"{\"name\":[\"too long \\u00e9\"]}","msg":{"$":"m"}}}`) as Record<string, unknown>;
    expect(wireError(map, scrub)).toEqual({ type: 'value', object: null, message: 'm', fields: new Map([['name', ['too long \u00e9']]]) });
    expect(wireError({ error: { $type: 'exists', $object: 'name', msg: { $: 'taken' } } }, scrub)).toEqual({ type: 'exists', object: 'name', message: 'taken', fields: new Map() });
  });

  /** A field map naming `name`, padded with messages to `chars` characters of JSON exactly. */
  function fieldMapOf(chars: number): string {
    const frame = JSON.stringify({ name: ['too long', ''] });
    return JSON.stringify({ name: ['too long', 'x'.repeat(chars - frame.length)] });
  }

  it(`reads a field map of up to ${MAX_FIELD_MAP_CHARS} characters, and past that neither scrubs nor parses it: the error keeps its type, message and param[] fields`, () => {
    const scrubbed: number[] = [];
    const countingScrub = (text: string): string => {
      scrubbed.push(text.length);
      return scrub(text);
    };
    const errorWith = ($object: string) => ({ error: { $type: 'value', $object, msg: { $: 'value rejected' }, param: [{ $name: 'object', $: 'name' }] } });
    const atLimit = fieldMapOf(MAX_FIELD_MAP_CHARS);
    expect(atLimit.length).toBe(MAX_FIELD_MAP_CHARS);
    expect(wireError(errorWith(atLimit), countingScrub)?.fields.get('name')?.[0]).toBe('too long');
    expect(scrubbed).toEqual([MAX_FIELD_MAP_CHARS]);

    scrubbed.length = 0;
    // A hostile panel's map filling the answer: its scrub and parse held the event loop in one turn.
    for (const chars of [MAX_FIELD_MAP_CHARS + 1, 8 * 1024 * 1024]) {
      expect(wireError(errorWith(fieldMapOf(chars)), countingScrub)).toEqual({ type: 'value', object: null, message: 'value rejected', fields: new Map([['name', []]]) });
    }
    expect(scrubbed).toEqual([]);
    // No param[] either: a plain error, none of the text named as a field.
    expect(wireError({ error: { $type: 'value', $object: fieldMapOf(MAX_FIELD_MAP_CHARS + 1), msg: { $: 'value rejected' } } }, countingScrub)).toEqual({ type: 'value', object: null, message: 'value rejected', fields: new Map() });
  });
});

describe('zomro wire: hostile and unusual envelopes', () => {
  it('reads doc.elem given as one object, and drops list items that are no record', () => {
    expect(elems({})).toEqual([]);
    expect(elems({ elem: null })).toEqual([]);
    expect(elems({ elem: { id: { $: '7' } } })).toEqual([{ id: '7' }]);
    expect(elems({ elem: [null, 'row', 7, ['a'], { id: { $: '8' } }] })).toEqual([{ id: '8' }]);
  });

  it('keeps bare field values as they are and reads only a text $orig as the code', () => {
    const [row] = elems({ elem: [{ id: '7', size: 3, gone: null, on: true, status: { $: 'Deleted', $orig: 4 }, region: { $: 'NL', $orig: 'nl-2' } }] });
    expect(row).toEqual({ id: '7', size: 3, gone: null, on: true, status: 'Deleted', region: 'NL' });
    expect(originalOf(row ?? {}, 'status')).toBeNull();
    expect(originalOf(row ?? {}, 'region')).toBe('nl-2');
    expect(originalOf(row ?? {}, 'id')).toBeNull();
  });

  /** `depth` lists (or one-field records), one inside the other, around `core`. */
  const nestedLists = (depth: number, core: unknown = 'x'): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => [inner], core);
  const nestedRecords = (depth: number, core: unknown = 'x'): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), core);

  it(`cuts a value nested deeper than ${MAX_RAW_DEPTH} where raw does, in lists and in records`, () => {
    expect(unwrap(nestedLists(MAX_RAW_DEPTH))).toEqual(nestedLists(MAX_RAW_DEPTH));
    expect(unwrap(nestedLists(MAX_RAW_DEPTH + 1))).toEqual(nestedLists(MAX_RAW_DEPTH, NESTED_TOO_DEEP));
    expect(unwrap(nestedRecords(MAX_RAW_DEPTH))).toEqual(nestedRecords(MAX_RAW_DEPTH));
    expect(unwrap(nestedRecords(MAX_RAW_DEPTH + 1))).toEqual(nestedRecords(MAX_RAW_DEPTH, NESTED_TOO_DEEP));
  });

  it('reads a row and an error message nested 100,000 deep without overflowing the stack', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const doc = JSON.parse(`{"elem":{"list":${deep}},"error":{"$type":"value","msg":{"$":${deep}}}}`) as Record<string, unknown>;
    expect(JSON.stringify(elems(doc))).toContain(NESTED_TOO_DEEP);
    expect(wireError(doc, (text) => text)?.message).toBeNull();
  });
});

describe('zomro wire: reading doc.error', () => {
  const asIs = (text: string): string => text;

  it('answers null for a doc with no error record, and "error" for an error without a text $type', () => {
    expect(wireError({ elem: [] }, asIs)).toBeNull();
    expect(wireError({ error: 'failed' }, asIs)).toBeNull();
    expect(wireError({ error: ['failed'] }, asIs)).toBeNull();
    expect(wireError({ error: { $type: 7, msg: { $: 'failed' } } }, asIs)).toEqual({ type: 'error', object: null, message: 'failed', fields: new Map() });
  });

  it('takes an $object that is no text for no name and no map', () => {
    for (const $object of [['name'], { name: ['bad'] }, 7]) {
      expect(wireError({ error: { $type: 'value', $object, msg: { $: 'm' } } }, asIs)).toEqual({ type: 'value', object: null, message: 'm', fields: new Map() });
    }
  });

  it('takes a $object that opens like a map but is no JSON for a name, not a map', () => {
    expect(wireError({ error: { $type: 'value', $object: '{name: too long', msg: { $: 'm' } } }, asIs)).toEqual({ type: 'value', object: '{name: too long', message: 'm', fields: new Map() });
  });

  it('reads a field map written after whitespace, a lone message as a list, numbers as text, and drops other items', () => {
    const $object = ' \n {"name":"too long","size":[10,"too big",null,{"x":1},["y"],true]}';
    expect(wireError({ error: { $type: 'value', $object, msg: { $: 'm' } } }, asIs)?.fields).toEqual(
      new Map([
        ['name', ['too long']],
        ['size', ['10', 'too big']],
      ]),
    );
  });

  it('reads form fields from param[] when no item names the object: each $name a field, $ its message, "value" and "desc" left out', () => {
    const param = [null, 'name', { $: 'no name' }, { $name: 7, $: 'numeric name' }, { $name: 'value', $: 'sent' }, { $name: 'desc', $: 'about' }, { $name: 'name', $: 'too long' }, { $name: 'size' }];
    expect(wireError({ error: { $type: 'value', msg: { $: 'm' }, param } }, asIs)?.fields).toEqual(
      new Map([
        ['name', ['too long']],
        ['size', []],
      ]),
    );
    expect(wireError({ error: { $type: 'value', msg: { $: 'm' }, param: { $name: 'name', $: 'too long' } } }, asIs)?.fields).toEqual(new Map([['name', ['too long']]]));
  });

  it("reads BILLmanager's own template from param[]: the field the \"object\" item names, without a message", () => {
    const param = [{ $name: 'value', $: 'x' }, { $name: 'object', $: 'name' }, { $name: 'other', $: 'y' }];
    expect(wireError({ error: { $type: 'value', msg: { $: 'm' }, param } }, asIs)?.fields).toEqual(new Map([['name', []]]));
    expect(wireError({ error: { $type: 'value', msg: { $: 'm' }, param: [{ $name: 'object' }, { $name: 'other', $: 'y' }] } }, asIs)?.fields).toEqual(new Map());
  });
});
