import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * schema.graphql at the project root. src/graphql/ and dist/graphql/ sit at the
 * same depth, so one relative path serves tsx (src) and the compiled build (dist).
 * Kept apart from schema.ts so `--print-schema` loads no GraphQL machinery.
 */
export const SCHEMA_FILE = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

export const readSchemaText = (): string => readFileSync(SCHEMA_FILE, 'utf8');
