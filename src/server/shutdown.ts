import type { GatewayConfig } from '../config/schema.js';
import type { RunningGateway } from './app.js';

/**
 * The grace between "not ready" and closing: `shutdown.readyzGraceMs`, or
 * SHUTDOWN_READYZ_GRACE_MS when set (a deployment tunes it to its balancer).
 */
export function readyzGraceMs(config: GatewayConfig, env: NodeJS.ProcessEnv): number {
  const fromEnv = env.SHUTDOWN_READYZ_GRACE_MS;
  return fromEnv !== undefined && /^\d+$/.test(fromEnv) ? Number(fromEnv) : config.shutdown.readyzGraceMs;
}

/**
 * Stops a replica without failing a request behind a load balancer: /readyz
 * turns 503 at once while everything is still served, so the balancer's
 * health checks take the replica out; only then does the listener close and
 * the requests in flight finish.
 */
export async function shutdownGateway(server: Pick<RunningGateway, 'beginDrain' | 'close'>, graceMs: number): Promise<void> {
  server.beginDrain();
  if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
  await server.close();
}
