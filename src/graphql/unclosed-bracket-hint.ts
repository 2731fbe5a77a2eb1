import { Lexer, Source, TokenKind } from 'graphql';

const CLOSING: Partial<Record<TokenKind, string>> = { [TokenKind.BRACE_L]: '}', [TokenKind.PAREN_L]: ')', [TokenKind.BRACKET_L]: ']' };
const CLOSERS = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.PAREN_R, TokenKind.BRACKET_R]);

/** The source text behind a syntax error, looking through the `originalError` links Apollo wraps it in. */
function sourceBody(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const source = (current as { source?: unknown }).source;
    if (source instanceof Source) return source.body;
    current = (current as { originalError?: unknown }).originalError;
  }
  return null;
}

/**
 * A document that ended early ("Syntax Error: Expected Name, found <EOF>.", a query missing its
 * last `}`) with the bracket left open named, and where it opened: graphql-js says only what it
 * expected next, and a newcomer read "Expected Name" as a field to add. The source lexed up to its
 * end, which the parser reached; the message unchanged where no bracket is left open.
 */
export function withUnclosedBracketHint(message: string, error: unknown): string {
  if (!message.startsWith('Syntax Error:') || !message.includes('found <EOF>')) return message;
  const body = sourceBody(error);
  if (body === null) return message;
  const open: Array<{ kind: TokenKind; line: number; column: number }> = [];
  try {
    const lexer = new Lexer(new Source(body));
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (CLOSING[token.kind] !== undefined) open.push({ kind: token.kind, line: token.line, column: token.column });
      else if (CLOSERS.has(token.kind)) open.pop();
    }
  } catch {
    return message;
  }
  const unclosed = open.at(-1);
  if (unclosed === undefined) return message;
  const closer = CLOSING[unclosed.kind];
  return `${message} The ${unclosed.kind} at line ${unclosed.line}, column ${unclosed.column} is never closed: is its ${closer} missing?`;
}
