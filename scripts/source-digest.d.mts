/** See source-digest.mjs: the build id of a bundle whose esbuild metafile lists `inputs` (relative to `root`). */
export function sourceDigest(root: string, inputs: readonly string[]): string;
/** esbuild's `define` that writes a build id into a bundle. */
export function buildIdDefine(buildId: string): Record<string, string>;
