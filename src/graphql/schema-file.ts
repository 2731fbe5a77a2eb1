import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The schema's text as `npm run build` wrote it into the bundle (scripts/bundled-schema.mjs):
 * read from beside dist/ at start, a change to schema.graphql alone left the build id as it was,
 * and a dist/ beside another checkout's schema served that one. Undefined when run from the
 * TypeScript sources (tsx, tests), which read the file, so an edit is served at once.
 */
declare const __BACKUP_GRAPH_SCHEMA__: string | undefined;
const BUNDLED_SCHEMA: string | undefined = typeof __BACKUP_GRAPH_SCHEMA__ === 'string' ? __BACKUP_GRAPH_SCHEMA__ : undefined;

/**
 * schema.graphql at the project root: two levels up from src/graphql/ (tsx),
 * one from a bundle built without it (a test's tiny project), whose main.js and
 * chunks/ sit in dist/ (the nearer first).
 * Kept apart from schema.ts so `--print-schema` loads no GraphQL machinery.
 */
const besideRoot = ['../schema.graphql', '../../schema.graphql', '../../../schema.graphql'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
export const SCHEMA_FILE = besideRoot.find((path) => existsSync(path)) ?? (besideRoot[1] as string);

export const readSchemaText = (): string => BUNDLED_SCHEMA ?? readFileSync(SCHEMA_FILE, 'utf8');
