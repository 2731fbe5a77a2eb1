/**
 * A node.js option given to the gateway (`npm start -- --max-old-space-size=512`,
 * `-- --inspect`): it came after `--`, so npm handed it to dist/main.js, which
 * listed its own options and left the reader to guess where node's go.
 */

/** An option node takes in NODE_OPTIONS (node's own list), as written: `--max-old-space-size=512`. */
export function nodeOptionGiven(written: string): boolean {
  const name = written.split('=')[0] ?? '';
  return name.startsWith('--') && process.allowedNodeEnvironmentFlags.has(name);
}

/** The inspector's options listen on a port, which NODE_OPTIONS would open in npm's own node first. */
const opensInspector = (name: string): boolean => name.startsWith('--inspect');

/** The written option quoted in a command line only where it holds no more than a flag's characters. */
const quotable = (written: string): string => (/^--[\w-]+(=[\w.:/@-]{0,40})?$/.test(written) ? written : (written.split('=')[0] ?? written));

/** What to tell the person: where that option goes instead, with it in the command. */
export function nodeOptionMessage(written: string): string {
  const option = quotable(written);
  const name = option.split('=')[0] ?? option;
  if (opensInspector(name)) {
    return `unknown option ${name}: that is node's option, not the gateway's; run node with it on the build npm start made, e.g. node ${option} dist/main.js --config FILE (in NODE_OPTIONS, npm's own node would take the inspector's port first)`;
  }
  return `unknown option ${name}: that is node's option, not the gateway's; give it to node in NODE_OPTIONS, e.g. NODE_OPTIONS=${option} npm start -- --config FILE`;
}
