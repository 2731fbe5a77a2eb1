import { type Alias, type Document, isMap, isPair, isScalar, LineCounter, parseAllDocuments, parseDocument, visit, YAMLError, YAMLParseError } from 'yaml';
import { npmLinesProblem } from './npm-lines.js';
import { unquotedVariableHint, type YamlPosition } from './unquoted-variable.js';
import { isPlainWord } from './usable-id.js';
import { tooDeeplyNested } from './yaml-depth.js';

const QUOTE_IT = ': a value that begins with * is read as an alias, ! as a tag, % as a directive: write it in quotes';

/** What to add to YAML's own words for a refusal it explains badly; '' for the rest. */
const REMEDIES: Readonly<Record<string, string>> = {
  // An editor's tab key: YAML takes spaces only, and its words did not say what to type instead.
  TAB_AS_INDENT: ': indent with spaces (an editor set to insert tabs wrote this one)',
  // A password beginning with *, &, !, % or | (`password: *Xy9...`) is YAML syntax unquoted.
  BAD_ALIAS: QUOTE_IT,
  TAG_RESOLVE_FAILED: QUOTE_IT,
  BAD_DIRECTIVE: QUOTE_IT,
  UNEXPECTED_TOKEN: '',
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
  const position = error instanceof YAMLError ? error.linePos?.[0] : undefined;
  const why = withoutAliasName(withoutSourceText(error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, ''), text));
  // An alias is resolved after parsing, by a ReferenceError without a code or a position.
  const remedy =
    error instanceof UnresolvedMergeAlias ? MERGE_REMEDY : error instanceof YAMLError ? (error.code === 'BLOCK_AS_IMPLICIT_KEY' ? nestedMappingRemedy(text, position) : (indentRemedy(text, why, position) ?? REMEDIES[error.code] ?? '')) : why.startsWith('Unresolved alias') ? QUOTE_IT : '';
  const where = position === undefined ? shown : `${shown}:${position.line}:${position.col}`;
  return `${where}: not valid YAML: ${why}${remedy}${unquotedVariableHint(text, position)}`;
}

/**
 * "Nested mappings are not allowed in compact mappings", YAML's words for a key indented one space
 * further than the key above it (YAML reads it as part of that key's value), or for a value
 * holding ": " (`name: ops: main`): neither said what to change.
 */
function nestedMappingRemedy(text: string, at: YamlPosition | undefined): string {
  if (at === undefined) return '';
  const lines = text.split('\n');
  const line = lines[at.line - 1];
  if (line === undefined) return '';
  if (line.slice(at.col - 1).includes(': ')) return `: a value holding ": " is read as another key: write the value in quotes`;
  const deeper = deeperLineAfter(lines, at.line);
  const which = deeper === undefined ? `a line after line ${at.line} is indented further than its key` : `line ${deeper} is indented further than the key on line ${at.line} above it`;
  return `: ${which}, so YAML reads it as part of that key's value: indent the keys of one block by the same number of spaces`;
}

/**
 * YAML's words for a key indented less than the keys above it, or unlike them, in its block ("All
 * mapping items must start at the same column", "Sequence item without - indicator"): they named
 * no remedy, and their position could be a comment or blank line above the key at fault.
 */
function indentRemedy(text: string, why: string, at: YamlPosition | undefined): string | undefined {
  if (at === undefined || !/^(All mapping items must start at the same column|Sequence item without - indicator)$/.test(why)) return undefined;
  const lines = text.split('\n');
  const index = lines.findIndex((line, number) => number >= at.line - 1 && holdsMoreThanAComment(line));
  if (index === -1) return `: a line from line ${at.line} on is indented unlike the keys above it in its block: indent the keys of one block (a list entry's under its "- ") by the same number of spaces`;
  // A list's item written without its "- " (`- 10.0.0.1` then `10.0.0.2`) is no key either.
  if (!/^\s*(- |[^\s#'"][^:]*:(\s|$)|['"][^'"]*['"]\s*:(\s|$))/.test(lines[index]!)) return `: line ${index + 1} is neither a key nor a list item: begin it with "- " if it is an item of the list above it`;
  return `: line ${index + 1} is indented unlike the keys above it in its block: indent the keys of one block (a list entry's under its "- ") by the same number of spaces`;
}

const holdsMoreThanAComment = (line: string): boolean => line.trim() !== '' && !line.trimStart().startsWith('#');

/**
 * The line (counted from one) that YAML took into the value of the key on line `keyLine`: the next
 * one holding more than a comment, where it is indented further. "A line after line 3" left a
 * newcomer to find it, past any comment or blank lines between.
 */
function deeperLineAfter(lines: readonly string[], keyLine: number): number | undefined {
  const indent = (line: string): number => line.length - line.trimStart().length;
  const index = lines.findIndex((line, at) => at >= keyLine && holdsMoreThanAComment(line));
  return index !== -1 && indent(lines[index]!) > indent(lines[keyLine - 1] ?? '') ? index + 1 : undefined;
}

/**
 * YAML's own words with the text of the file they quote left out where it is no plain word: an
 * unquoted password beginning with `*` read "Unresolved alias (...): *<the password>", one
 * beginning with `|` "Block scalar header includes extra characters: |<the password>".
 */
function withoutSourceText(why: string, text: string): string {
  // A `!!name` tag is quoted in its long form.
  const inText = (word: string): boolean => text.includes(word) || text.includes(word.replace(/^tag:yaml\.org,2002:/, '!!'));
  return why.replace(/\S{4,}/g, (word) => (inText(word) && !isPlainWord(word.replace(/[.,:;]$/, '')) ? '(text of the file, not quoted)' : word));
}

/**
 * An unresolved alias's name left out whatever its form: YAML names it without its `*`, and
 * `token: *Summer2024`, a password begun with *, read "Unresolved alias (...): Summer2024", a
 * plain word withoutSourceText keeps. A mistyped anchor at a merge key is refused in other words.
 */
function withoutAliasName(why: string): string {
  return why.replace(/^(Unresolved alias(?: \([^)]*\))?): .*$/, '$1: (the name after *, not quoted: it may be a password)');
}

/** The line of the key `key` of the mapping at `path` in the file, where the file wrote it there (not merged in by `<<`). */
export type KeyLine = (path: ReadonlyArray<PropertyKey>, key: string) => number | undefined;

/**
 * The file's YAML and where its keys are, or throws its first error, or its first warning: a
 * warning is printed by node (`process.emitWarning`) with the line it is about, and
 * `password: !Xy9...` (a tag YAML does not know) was printed whole on stderr and read as an empty value.
 */
export function parseConfigYaml(text: string): { value: unknown; keyLine: KeyLine } {
  // Before the composer, which recurses once a level: past some 800 it ran out of stack.
  const tooDeep = tooDeeplyNested(text);
  if (tooDeep) throw tooDeep;
  const lineCounter = new LineCounter();
  // Merge keys (`<<: *common`) on: the shared-settings habit of compose files, which YAML 1.2
  // left out; without them each one read "unknown key" and the account lost what it merged.
  const document = parseDocument(text, { prettyErrors: true, merge: true, logLevel: 'silent', lineCounter });
  const refusal = document.errors[0] ?? document.warnings[0] ?? laterDocument(text, document, lineCounter) ?? unresolvedAlias(document, lineCounter) ?? aliasWithinItsAnchor(document, lineCounter);
  if (refusal) throw refusal;
  const keyLine: KeyLine = (path, key) => {
    const holder = path.length === 0 ? document.contents : document.getIn(path, true);
    if (!isMap(holder)) return undefined;
    const start = holder.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key)?.key;
    const offset = isScalar(start) ? start.range?.[0] : undefined;
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
  return { value: document.toJS(), keyLine };
}

/**
 * A second YAML document with settings in it (after a `---` line: a Kubernetes habit, or files
 * joined with `cat`; or after a `...` line). parseDocument reads the first alone and, with logLevel silent (which keeps
 * its warnings off stderr), says nothing of the rest: every setting after the `---` was left out
 * without a word (`clients`, `limits`, `listen.trustedProxies`). An empty or comments-only one
 * (a trailing `---`) is taken.
 */
function laterDocument(text: string, document: Document, lineCounter: LineCounter): YAMLParseError | undefined {
  const end = document.range?.[2];
  if (end === undefined || text.slice(end).trim() === '') return undefined;
  const later = parseAllDocuments(text, { logLevel: 'silent' });
  if (!Array.isArray(later)) return undefined;
  const withSettings = later.slice(1).find((each) => each.contents !== null && !(isScalar(each.contents) && each.contents.value === null));
  if (withSettings === undefined) return undefined;
  const start = withSettings.range[0];
  // A document begins at its `---` where it has one; after a `...` line (YAML's end of a
  // document) alone, at its first setting, and "without the --- line" named a line the file lacks.
  const why = text.startsWith('---', start)
    ? 'the file holds a second YAML document (after a --- line), and only the first is read: its settings would be left out; join the two into one, without the --- line between them'
    : "the file holds a second YAML document (after a ... line, the end of a document in YAML), and only the first is read: its settings would be left out; delete the ... line, so the two are one";
  const error = new YAMLParseError([start, start], 'MULTIPLE_DOCS', why);
  error.linePos = [lineCounter.linePos(start)];
  return error;
}

/**
 * The first `*name` with no `&name` before it, as an error with its line: `toJS` throws it as a
 * ReferenceError with neither a code nor a position, and the problem named no line to look at.
 */
function unresolvedAlias(document: Document, lineCounter: LineCounter): YAMLParseError | undefined {
  let found: { alias: Alias; atMerge: boolean } | undefined;
  visit(document, {
    Alias(_key, node, path) {
      if (node.resolve(document) !== undefined) return undefined;
      const holder = path.at(-1);
      found = { alias: node, atMerge: isPair(holder) && isScalar(holder.key) && holder.key.source === '<<' };
      return visit.BREAK;
    },
  });
  if (found === undefined) return undefined;
  const { alias, atMerge } = found;
  const start = alias.range?.[0] ?? 0;
  const error = new (atMerge ? UnresolvedMergeAlias : YAMLParseError)([start, alias.range?.[1] ?? start], 'BAD_ALIAS', `Unresolved alias (the anchor must be set before the alias): ${alias.source}`);
  error.linePos = [lineCounter.linePos(start)];
  return error;
}

/**
 * The first `*name` inside the block `&name` marks (`providers: &p [{ ..., note: *p }]`): the
 * value holds itself, and every walk of it (variables, validation) ran out of stack: the start
 * failed with "Maximum call stack size exceeded", exit 1 and no line. A merge of itself
 * (`<<: *name` within `&name`) is caught here too, before YAML's own "Excessive alias count"
 * could be. The name is not shown: a password begun with `*` is an alias too.
 */
function aliasWithinItsAnchor(document: Document, lineCounter: LineCounter): YAMLParseError | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_key, node) {
      const anchored = node.resolve(document)?.range;
      const at = node.range?.[0];
      if (anchored === undefined || anchored === null || at === undefined || at < anchored[0] || at >= anchored[1]) return undefined;
      found = node;
      return visit.BREAK;
    },
  });
  if (found === undefined) return undefined;
  const start = found.range?.[0] ?? 0;
  const error = new YAMLParseError([start, found.range?.[1] ?? start], 'BAD_ALIAS', 'an alias (*name) inside the very block its anchor (&name) marks makes a value that holds itself: copy what it should repeat, or move the anchor to a block that does not hold the alias');
  error.linePos = [lineCounter.linePos(start)];
  return error;
}

/** `<<: *name` with no `&name` above: a mistyped or moved anchor, no password to quote. */
class UnresolvedMergeAlias extends YAMLParseError {}
const MERGE_REMEDY = ': a merge (<<: *name) takes the block marked &name above it: check the two names are spelt alike and the &name block comes first';
