import { portReferenceName } from './port-references.js';

/**
 * The variable a config's `admin.port: "${NAME}"` read, carried in the loaded config: two
 * replicas on one host share one file and differ by that variable (deploy/host.config.yaml's
 * ADMIN_PORT), so a port in use is mended there, and "choose another admin.port in the config"
 * sent the operator to edit the file both replicas read. Carried as a field of the section, not
 * in a WeakMap keyed on it: a copy (`{ ...config.admin }`) lost it there.
 */

/** The variable `written` (the file's admin or listen section, before substitution) named for its port, if any. */
export function writtenPortVariable(key: 'admin.port' | 'listen.port', written: unknown): string | undefined {
  const port = written !== null && typeof written === 'object' ? (written as { port?: unknown }).port : undefined;
  return typeof port === 'string' ? portReferenceName(key, port) : undefined;
}

/** The section with the variable its port was read from, where there was one. */
export function withPortVariable<Section extends object>(key: 'admin.port' | 'listen.port', loadedSection: Section, written: unknown): Section & { portVariable?: string } {
  const portVariable = writtenPortVariable(key, written);
  return portVariable === undefined ? loadedSection : { ...loadedSection, portVariable };
}

/**
 * The variable the loaded config's listen.port came from: where it is admin.port's too, the two
 * ports are one value, and "give ADMIN_PORT another value" would move both.
 */
export function listenPortVariable(loadedListen: { portVariable?: string }): string | undefined {
  return loadedListen.portVariable;
}

/** The variable the loaded config's admin.port came from, or undefined where the file wrote a number. */
export function adminPortVariable(loadedAdmin: { portVariable?: string }): string | undefined {
  return loadedAdmin.portVariable;
}
