import { GatewayError } from '../../domain/errors.js';

/**
 * What a client can do about Danube's 404 "Backup definition not found" to a create, after
 * Danube's words. A Danube backup is made by running one of the VM's definitions by name, so the
 * words alone left a newcomer (the demo's `web2`, which nothing protects, asked for "daily" as
 * every other demo VM takes) looking for a backup or a VM that was missing.
 */
const MISSING_DEFINITION = 'Backup definition not found';

/** A create's NOT_FOUND "Backup definition not found" with the VM, the name asked for and the way on added; any other error as it was. */
export function withMissingDefinitionNextStep(error: unknown, instanceName: string, definitionName: string): unknown {
  if (!(error instanceof GatewayError) || error.code !== 'NOT_FOUND' || !error.message.startsWith(MISSING_DEFINITION)) return error;
  const step = `${instanceName} has no backup definition named ${JSON.stringify(definitionName)} at Danube (the instance's \`definitions\` lists the ones it has): send the definitionName of one of those, or make one with createBackupDefinition`;
  return new GatewayError('NOT_FOUND', `${error.message}: ${step}`, error.details);
}
