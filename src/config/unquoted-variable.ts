/**
 * A `${NAME}` written without quotes inside a flow collection (`auth: { token: ${TOKEN} }`, the
 * shell's habit) is no string to YAML: its `{` opens a map there, and YAML's complaint ("Unexpected
 * flow-map-start", or "Missing , or :" in `[ ]`) says nothing of quotes. In block style the same
 * text is a plain string and works. YAML names that `{` as where it stopped; a refusal elsewhere on
 * a line holding a variable (`token: ${TOKEN}: x`, a block line) is not this one: every `${` holds
 * a `{`, so the line alone cannot tell.
 */
const VARIABLE_FROM_ITS_BRACE = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/** Where YAML stopped: 1-based line and column, as YAMLParseError's linePos[0]. */
export interface YamlPosition {
  line: number;
  col: number;
}

/** What to add to YAML's refusal of `text` at `at`, when it stopped at the `{` of an unquoted `${NAME}`; else ''. */
export function unquotedVariableHint(text: string, at: YamlPosition | undefined): string {
  if (at === undefined || at.col < 2) return '';
  const source = text.split('\n')[at.line - 1];
  if (source === undefined || !VARIABLE_FROM_ITS_BRACE.test(source.slice(at.col - 2))) return '';
  return `; line ${at.line} has a \${NAME} without quotes inside { } or [ ], where YAML reads its { as a map: write it in quotes, "\${NAME}"`;
}
