/**
 * The listeners' ports may be a `${NAME}` reference: two replicas on one
 * host, each with its own ports, then share one config file. Substitution
 * gives strings only, and a port from `${ADMIN_PORT}` was refused "must be
 * a number, written without quotes", which no way of writing it could meet.
 * Only a value that is one reference and nothing else is read as a number;
 * a port written as quoted text stays refused as before.
 */
const PORT_PATHS = new Set(['listen.port', 'admin.port']);
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;
const MAX_PORT = 65_535;

/** What a listener's port may be, in the same words whether written in the file or given by `${NAME}`. */
export const PORT_RANGE_WORDS = `must be a whole number from 0 to ${MAX_PORT} (0 = any free port)`;

/** Whether `written` at `path` is a port given by one `${NAME}` reference: its name, else undefined. */
export function portReferenceName(path: string, written: string): string | undefined {
  return PORT_PATHS.has(path) ? WHOLE_REFERENCE.exec(written)?.[1] : undefined;
}

/**
 * Quoted only up to this length: longer is no port, and may be a secret put in the wrong variable
 * (a `${ADMIN_PORT}` that should have been `${ADMIN_KEY}`) that a 40-character quote showed half of.
 */
const QUOTED_MAX_CHARS = 8;

/**
 * The port `resolved` (NAME's value) names, or the problem with it, for the key `path`. A value
 * read from NAME_FILE is never quoted, as no problem with a `_FILE` quotes what the file holds
 * (env-secret-files.ts): a path to a secret given by mistake would have shown the secret.
 */
export function portFromReference(path: string, name: string, resolved: string, fromFile: boolean): number | { problem: string } {
  if (/^\d{1,5}$/.test(resolved) && Number(resolved) <= MAX_PORT) return Number(resolved);
  const held = fromFile
    ? `the file ${name}_FILE names holds no port (what it holds is not quoted)`
    : resolved.length > QUOTED_MAX_CHARS
      ? `\${${name}} is no port (${resolved.length} characters, not quoted: it may be a secret)`
      : `\${${name}} is ${JSON.stringify(resolved)}`;
  return { problem: `${path}: ${held}: ${PORT_RANGE_WORDS}` };
}
