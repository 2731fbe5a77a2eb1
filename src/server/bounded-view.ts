import { inspect } from 'node:util';

/** Keys (or items) of one object shown at most. */
export const SHOWN_KEYS = 50;
/** Levels of nesting copied, as inspect's `depth: 2` shows them. */
const COPIED_DEPTH = 3;

/** Shown by inspect as its text, unquoted. */
class Placeholder {
  constructor(private readonly text: string) {}
  [inspect.custom](): string {
    return this.text;
  }
}

/**
 * A copy of `value` that inspect reads in bounded time: at most SHOWN_KEYS own enumerable keys (or
 * items) an object, a few levels deep. inspect stops a long array, never an object of a million
 * keys; its text was built whole before it was cut. Getters are not called (inspect's own rule).
 * Errors, Maps, Sets and the like are left to inspect (maxArrayLength bounds a Map or Set). May throw (a
 * Proxy's trap): its caller catches.
 */
export function boundedView(value: unknown, depth = COPIED_DEPTH): unknown {
  if (value === null || typeof value !== 'object') return value;
  // An Error's message and stack are no enumerable keys: a copy would show `{}`.
  if (value instanceof Error || value instanceof Map || value instanceof Set || ArrayBuffer.isView(value) || value instanceof Date || value instanceof RegExp) return value;
  if (depth === 0) return new Placeholder(Array.isArray(value) ? '[Array]' : '[Object]');
  const copy: unknown[] | Record<string, unknown> = Array.isArray(value) ? [] : {};
  let shown = 0;
  // Only the first SHOWN_KEYS are read and formatted (for...in may still list the keys first, cheaply).
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (shown === SHOWN_KEYS) {
      Object.defineProperty(copy, '…', { value: new Placeholder('more keys not shown'), enumerable: true });
      break;
    }
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    const shownValue = descriptor !== undefined && 'value' in descriptor ? boundedView(descriptor.value, depth - 1) : new Placeholder('[Getter]');
    Object.defineProperty(copy, key, { value: shownValue, enumerable: true, writable: true, configurable: true });
    shown += 1;
  }
  return copy;
}
