/** See source-digest.mjs: the build id of the sources under `root`. */
export function sourceDigest(root: string): string;
/** esbuild's `define` that writes the build id into a bundle. */
export function buildIdDefine(root: string): Record<string, string>;
