import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;

/**
 * The modules a file loads before its first line runs: the closure of its
 * static imports (type-only imports are erased; dynamic import() is not
 * followed). Source files relative to root, packages by specifier.
 */
export function staticImportGraph(root: string, entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    const name = relative(root, file);
    if (files.has(name)) return;
    files.add(name);
    for (const match of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const specifier = (match[1] ?? match[2]) as string;
      if (specifier.startsWith('.')) visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  for (const entry of entries) visit(join(root, entry));
  return { files, packages };
}

interface BundleMeta {
  outputs: Record<string, { entryPoint?: string; imports: Array<{ path: string; kind: string; external?: boolean }>; inputs: Record<string, unknown> }>;
}

/**
 * What the bundle (dist/, esbuild's metafile dist/meta.json) loads to serve
 * with a config file: dist/main.js, the chunk of src/server/serve.ts it
 * imports to serve, and every chunk those import statically (a dynamic
 * import is a chunk loaded only when its import() runs). Returns the source
 * files in them, node_modules paths included, relative to root.
 */
export function bundleServeInputs(metaFile: string): { chunks: string[]; inputs: Set<string> } {
  const { outputs } = JSON.parse(readFileSync(metaFile, 'utf8')) as BundleMeta;
  const byEntry = (entry: string) => Object.keys(outputs).find((output) => outputs[output]?.entryPoint === entry);
  const chunks = new Set<string>();
  const visit = (output: string | undefined) => {
    const chunk = output === undefined ? undefined : outputs[output];
    if (!output || !chunk || chunks.has(output)) return;
    chunks.add(output);
    for (const imported of chunk.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  const main = byEntry('src/main.ts');
  const serve = byEntry('src/server/serve.ts');
  if (!main || !serve) throw new Error(`${metaFile}: no chunk for src/main.ts or src/server/serve.ts`);
  visit(main);
  visit(serve);
  return { chunks: [...chunks], inputs: new Set([...chunks].flatMap((chunk) => Object.keys(outputs[chunk]?.inputs ?? {}))) };
}
