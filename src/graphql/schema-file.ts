import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * schema.graphql at the project root: two levels up from src/graphql/ (tsx),
 * one from the bundle, whose main.js and chunks/ sit in dist/ (the nearer first).
 * Kept apart from schema.ts so `--print-schema` loads no GraphQL machinery.
 */
const besideRoot = ['../schema.graphql', '../../schema.graphql', '../../../schema.graphql'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
export const SCHEMA_FILE = besideRoot.find((path) => existsSync(path)) ?? (besideRoot[1] as string);

export const readSchemaText = (): string => readFileSync(SCHEMA_FILE, 'utf8');
