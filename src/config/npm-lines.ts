/**
 * `npm start` writes its own lines to stdout before the program's ("> backup-graph@0.1.0 start",
 * then the command). A config saved with `npm start -- --simulators > FILE` (without npm's
 * `--silent`) begins with them, and YAML's complaint about them ("Not a YAML token") does not
 * say where they came from.
 */
const NPM_SCRIPT_LINE = /^> \S+@\S+ \S+$/m;

/** Why a config that YAML refused is not YAML, and the line (1-based), when it holds npm's lines; else null. */
export function npmLinesProblem(text: string): { line: number; problem: string } | null {
  const match = NPM_SCRIPT_LINE.exec(text);
  if (!match) return null;
  const line = text.slice(0, match.index).split('\n').length;
  return { line, problem: `line ${line} is npm's own output ("${match[0]}"): write the file with \`npm start --silent -- ...\` (--silent keeps npm's lines out), or delete them` };
}
