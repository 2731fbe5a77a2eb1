import { GraphQLError, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { withUnclosedBracketHint } from '../../src/graphql/unclosed-bracket-hint.js';

/** withUnclosedBracketHint asked directly (mutation testing, 2026-12-07): graphql's own syntax errors, as Apollo hands them on. */
function syntaxError(query: string): GraphQLError {
  try {
    parse(query);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error(`parsed: ${query}`);
}
const hinted = (query: string): string => {
  const error = syntaxError(query);
  return withUnclosedBracketHint(error.message, error);
};

describe('withUnclosedBracketHint', () => {
  it('names the last bracket left open, its place and its closer', () => {
    expect(hinted('{ a { b }')).toBe('Syntax Error: Expected Name, found <EOF>. The { at line 1, column 1 is never closed: is its } missing?');
    expect(hinted('{\n  a(first: 2\n')).toMatch(/ The \( at line 2, column 4 is never closed: is its \) missing\?$/);
    expect(hinted('query ($ids: [ID!')).toMatch(/ The \[ at line 1, column 14 is never closed: is its \] missing\?$/);
    expect(hinted('{ a { b } c { d')).toMatch(/ The \{ at line 1, column 13 is never closed: is its \} missing\?$/);
  });

  it('finds the query through the errors wrapping graphql\'s, up to five deep', () => {
    const error = syntaxError('{ a { b }');
    const wrapped = { originalError: { originalError: error } };
    expect(withUnclosedBracketHint(error.message, wrapped)).toMatch(/is never closed: is its \} missing\?$/);
    const deep = { originalError: { originalError: { originalError: { originalError: { originalError: error } } } } };
    expect(withUnclosedBracketHint(error.message, deep)).toBe(error.message);
  });

  it('leaves other errors as they are: not at the end, not syntax, no query at hand, every bracket closed, a query the lexer refuses', () => {
    expect(hinted('{ a } }')).toBe(syntaxError('{ a } }').message);
    // A bracket open where the error is not the query's end: not that bracket's fault.
    expect(hinted('{ a { b ! }')).toBe(syntaxError('{ a { b ! }').message);
    expect(withUnclosedBracketHint('Cannot query field "x" on type "Query". found <EOF>', syntaxError('{ a {'))).toBe('Cannot query field "x" on type "Query". found <EOF>');
    expect(withUnclosedBracketHint('Syntax Error: Expected Name, found <EOF>.', new Error('no source'))).toBe('Syntax Error: Expected Name, found <EOF>.');
    expect(withUnclosedBracketHint('Syntax Error: Expected Name, found <EOF>.', null)).toBe('Syntax Error: Expected Name, found <EOF>.');
    expect(hinted('query')).toBe(syntaxError('query').message);
    const unterminated = syntaxError('{ a(b: "x');
    expect(withUnclosedBracketHint('Syntax Error: Expected Name, found <EOF>.', unterminated)).toBe('Syntax Error: Expected Name, found <EOF>.');
  });
});
