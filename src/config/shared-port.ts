import { adminPortVariable } from './admin-port-variable.js';
import type { GatewayConfig } from './schema.js';

/**
 * The public and admin listeners given one port (PORT or listen.port, and admin.port): the
 * second to bind failed as "port N is in use (another gateway, or the demo?)", sending the
 * operator after a process that is not there, and --check-config called the file valid.
 * Port 0 is any free port for each, so two zeros never meet.
 */
export function sharedPortProblem(config: Pick<GatewayConfig, 'listen' | 'admin'>, publicPortFromEnv: number | undefined): string | undefined {
  const publicPort = publicPortFromEnv ?? config.listen.port;
  if (publicPort === 0 || publicPort !== config.admin.port) return undefined;
  const publicSource = publicPortFromEnv === undefined ? 'listen.port' : 'PORT';
  const variable = adminPortVariable(config.admin);
  const change = variable === undefined ? 'choose another admin.port' : `give ${variable} another value (the config's admin.port reads it)`;
  return `admin.port: ${publicPort} is also the public port (${publicSource}): the admin listener (/metrics, the detailed /readyz) needs a port of its own; ${change}`;
}
