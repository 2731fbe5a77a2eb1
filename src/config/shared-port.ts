import { isWildcardHost } from '../server/bound-address.js';
import { adminPortVariable, listenPortVariable } from './admin-port-variable.js';
import type { GatewayConfig } from './schema.js';

/** What PORT and HOST set in place of listen.port and listen.host, where they are set. */
export interface PublicListenFromEnv {
  port: number | undefined;
  host: string | undefined;
}

/**
 * Whether two listeners on one port meet: one host, or a wildcard (every address, the other's
 * among them). Two different addresses (`10.0.0.5` and `127.0.0.1`) each bind the port.
 */
function hostsMeet(publicHost: string, adminHost: string): boolean {
  return publicHost === adminHost || isWildcardHost(publicHost) || isWildcardHost(adminHost);
}

/**
 * The public and admin listeners given one port (PORT or listen.port, and admin.port) on hosts
 * that meet: the second to bind failed as "port N is in use (another gateway, or the demo?)",
 * sending the operator after a process that is not there, and --check-config called the file
 * valid. Port 0 is any free port for each, so two zeros never meet.
 */
export function sharedPortProblem(config: Pick<GatewayConfig, 'listen' | 'admin'>, fromEnv: PublicListenFromEnv): string | undefined {
  const publicPort = fromEnv.port ?? config.listen.port;
  if (publicPort === 0 || publicPort !== config.admin.port || !hostsMeet(fromEnv.host ?? config.listen.host, config.admin.host)) return undefined;
  const publicSource = fromEnv.port === undefined ? 'listen.port' : 'PORT';
  const variable = adminPortVariable(config.admin);
  // One variable read by both keys: changing it moves both ports, so admin.port needs one of its own.
  const sameVariable = variable !== undefined && fromEnv.port === undefined && listenPortVariable(config.listen) === variable;
  const change = variable === undefined ? 'choose another admin.port' : sameVariable ? `admin.port and listen.port both read ${variable}: give admin.port a variable of its own` : `give ${variable} another value (the config's admin.port reads it)`;
  return `admin.port: ${publicPort} is also the public port (${publicSource}): the admin listener (/metrics, the detailed /readyz) needs a port of its own; ${change}`;
}
