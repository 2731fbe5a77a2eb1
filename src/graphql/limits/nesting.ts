import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';

/**
 * Braces, brackets and parentheses open at once in one document. graphql-js parses and
 * graphql-jit compiles nested values by recursion, and the token limit leaves room for
 * 2,500 nested lists: `[[[...1]]]` 2,000 deep as an argument ran the compiler out of stack
 * (an internal error over HTTP, the WebSocket closed with 4500), 2,400 deep the parser
 * ("Maximum call stack size exceeded" answered as the client's mistake). The deepest
 * selection the config allows (limits.maxDepth, at most 100) fits with room to spare.
 */
export const MAX_NESTING = 200;

export const NESTING_REFUSAL = `Nesting limit of ${MAX_NESTING} exceeded: braces, brackets and parentheses open at once; send a flatter document.`;

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** Whether `source` holds more opening marks than MAX_NESTING at all (strings and comments too): only then is it lexed. */
function mayNestTooDeep(source: string): boolean {
  let marks = 0;
  for (let index = 0; index < source.length; index++) {
    const code = source.charCodeAt(index);
    // { [ (
    if ((code === 123 || code === 91 || code === 40) && ++marks > MAX_NESTING) return true;
  }
  return false;
}

/**
 * QUERY_TOO_COMPLEX when `source` nests deeper than MAX_NESTING, read by graphql-js's own
 * lexer (a bracket in a string or a comment opens nothing) over at most `maxTokens` tokens,
 * before anything parses it by recursion; null otherwise, and for a document that does not
 * lex (the parser says why).
 */
export function nestingRefusal(source: string, maxTokens: number): GraphQLError | null {
  if (!mayNestTooDeep(source)) return null;
  const lexer = new Lexer(new Source(source));
  let depth = 0;
  try {
    for (let read = 0, token = lexer.advance(); token.kind !== TokenKind.EOF && read < maxTokens; read++, token = lexer.advance()) {
      if (OPENING.has(token.kind)) {
        depth += 1;
        if (depth > MAX_NESTING) return new GraphQLError(NESTING_REFUSAL, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
      } else if (CLOSING.has(token.kind)) depth = Math.max(0, depth - 1);
    }
  } catch {
    return null;
  }
  return null;
}
