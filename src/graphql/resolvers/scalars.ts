import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONObjectResolver, SafeIntResolver } from 'graphql-scalars';

/**
 * Dates of cached entities are serialized on every dashboard: their text is
 * remembered per Date object (domain objects are never mutated once mapped).
 */
const isoTexts = new WeakMap<Date, string>();
function isoText(date: Date): string {
  let text = isoTexts.get(date);
  if (text === undefined) {
    // toISOString writes years past 9999 (or before 0) as "+010000-...": not
    // RFC 3339, which clients' parsers refuse. Provider dates never get here
    // outside 1970-9999 (see src/domain/wall-fields.ts); this keeps any other
    // Date from leaving as a string a client cannot read.
    const year = date.getUTCFullYear();
    if (!(year >= 0 && year <= 9999)) throw new TypeError('DateTime cannot represent a date outside the years 0000-9999 in RFC 3339');
    text = date.toISOString();
    isoTexts.set(date, text);
  }
  return text;
}

/**
 * graphql-scalars' DateTime with one change: it serializes to the RFC 3339
 * string itself. The library's serialize returns the Date, so JSON.stringify
 * has to call Date#toJSON on every one, which takes V8 off its fast path:
 * measured on the dashboard answer, 2.6 ms to stringify instead of 0.8 ms.
 * Parsing and validation stay the library's.
 */
const DateTime = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize(value) {
    const date: unknown = DateTimeResolver.serialize(value);
    return date instanceof Date ? isoText(date) : date;
  },
});

export const scalarResolvers = {
  DateTime,
  JSONObject: JSONObjectResolver,
  SafeInt: SafeIntResolver,
};
