/**
 * Which build of the gateway this process runs: a digest of the sources it
 * was bundled from (scripts/source-digest.mjs), written into the bundle by
 * `npm run build`; `source` when run from the TypeScript sources (tsx,
 * tests), which no rollout mixes.
 */
declare const __BACKUP_GRAPH_BUILD__: string | undefined;

export const BUILD_ID: string = typeof __BACKUP_GRAPH_BUILD__ === 'string' ? __BACKUP_GRAPH_BUILD__ : 'source';
