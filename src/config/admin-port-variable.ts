import { portReferenceName } from './port-references.js';

/**
 * The variable a config's `admin.port: "${NAME}"` read, kept beside the loaded config: two
 * replicas on one host share one file and differ by that variable (deploy/host.config.yaml's
 * ADMIN_PORT), so a port in use is mended there, and "choose another admin.port in the config"
 * sent the operator to edit the file both replicas read.
 */
const variables = new WeakMap<object, string>();

/** Notes the variable `written` (the file's admin section, before substitution) named, if any. */
export function rememberAdminPortVariable(loadedAdmin: object, written: unknown): void {
  const port = written !== null && typeof written === 'object' ? (written as { port?: unknown }).port : undefined;
  const name = typeof port === 'string' ? portReferenceName('admin.port', port) : undefined;
  if (name !== undefined) variables.set(loadedAdmin, name);
}

/** The variable the loaded config's admin.port came from, or undefined where the file wrote a number. */
export function adminPortVariable(loadedAdmin: object): string | undefined {
  return variables.get(loadedAdmin);
}
