import { YAMLParseError } from 'yaml';
import { npmLinesProblem } from './npm-lines.js';
import { unquotedVariableHint } from './unquoted-variable.js';

/** What to add to YAML's own words for a refusal it explains badly; '' for the rest. */
const REMEDIES: Readonly<Record<string, string>> = {
  // An editor's tab key: YAML takes spaces only, and its words did not say what to type instead.
  TAB_AS_INDENT: ': indent with spaces (an editor set to insert tabs wrote this one)',
};

/**
 * YAML's refusal of the config file `shown`, as `PATH:LINE:COLUMN: not valid YAML: why`, the
 * form editors and terminals jump to; it read `(file): ... at line 3, column 5`, naming no file.
 * The quoted source text under YAML's first line is left out: the line may hold a secret.
 */
export function yamlProblem(shown: string, text: string, error: unknown): string {
  const npmLines = npmLinesProblem(text);
  if (npmLines) return `${shown}:${npmLines.line}:1: not valid YAML: ${npmLines.problem}`;
  if (!(error instanceof Error)) return `${shown}: not valid YAML`;
  const position = error instanceof YAMLParseError ? error.linePos?.[0] : undefined;
  const why = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
  const remedy = error instanceof YAMLParseError ? (REMEDIES[error.code] ?? '') : '';
  const where = position === undefined ? shown : `${shown}:${position.line}:${position.col}`;
  return `${where}: not valid YAML: ${why}${remedy}${unquotedVariableHint(text, position)}`;
}
