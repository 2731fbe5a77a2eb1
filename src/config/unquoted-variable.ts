/**
 * A `${NAME}` written without quotes inside a flow collection (`auth: { token: ${TOKEN} }`, the
 * shell's habit) is no string to YAML: its `{` opens a map there, and YAML's complaint ("Unexpected
 * flow-map-start") says nothing of quotes. In block style the same text is a plain string and works.
 */
const UNQUOTED_VARIABLE = /(^|[\s,[{:])\$\{[A-Za-z_][A-Za-z0-9_]*\}/;

/** What to add to YAML's refusal of `line` (1-based) of `text`, when that line holds such a variable; else ''. */
export function unquotedVariableHint(text: string, line: number | undefined): string {
  if (line === undefined) return '';
  const source = text.split('\n')[line - 1];
  if (source === undefined || !source.includes('{') || !UNQUOTED_VARIABLE.test(source)) return '';
  return `; line ${line} has a \${NAME} without quotes inside { } or [ ], where YAML reads its { as a map: write it in quotes, "\${NAME}"`;
}
