import { describe, expect, it } from 'vitest';
import { elems, unwrap } from '../../src/providers/zomro/wire.js';

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
