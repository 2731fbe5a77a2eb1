import { portReferenceName } from './port-references.js';

/**
 * The variable a config's `admin.port: "${NAME}"` read, kept beside the loaded config: two
 * replicas on one host share one file and differ by that variable (deploy/host.config.yaml's
 * ADMIN_PORT), so a port in use is mended there, and "choose another admin.port in the config"
 * sent the operator to edit the file both replicas read.
 */
const variables = new WeakMap<object, string>();

/** Notes the variable `written` (the file's admin or listen section, before substitution) named for its port, if any. */
export function rememberPortVariable(key: 'admin.port' | 'listen.port', loadedSection: object, written: unknown): void {
  const port = written !== null && typeof written === 'object' ? (written as { port?: unknown }).port : undefined;
  const name = typeof port === 'string' ? portReferenceName(key, port) : undefined;
  if (name !== undefined) variables.set(loadedSection, name);
}

/**
 * The variable the loaded config's listen.port came from: where it is admin.port's too, the two
 * ports are one value, and "give ADMIN_PORT another value" would move both.
 */
export function listenPortVariable(loadedListen: object): string | undefined {
  return variables.get(loadedListen);
}

/** The variable the loaded config's admin.port came from, or undefined where the file wrote a number. */
export function adminPortVariable(loadedAdmin: object): string | undefined {
  return variables.get(loadedAdmin);
}
