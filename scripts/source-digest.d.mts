/** See source-digest.mjs: the build id of the sources under `root`. */
export function sourceDigest(root: string): string;
