/**
 * The gateway's options npm keeps for itself when they come before `--`: `npm start --simulators`
 * sets npm_config_simulators=true and runs the script with no arguments, so the demo started in
 * place of the simulators (and `--print-schema` served, `--demo-public` was refused as missing,
 * `--config FILE` said only that FILE was an unexpected argument).
 */
const GATEWAY_OPTIONS = ['config', 'check-config', 'print-schema', 'demo-public', 'simulators'] as const;

/** The option npm took, as the person typed it (`--simulators`), or null. */
export function optionNpmTook(env: NodeJS.ProcessEnv): string | null {
  const option = GATEWAY_OPTIONS.find((name) => env[`npm_config_${name.replaceAll('-', '_')}`] !== undefined);
  return option === undefined ? null : `--${option}`;
}

/** What to tell the person: the fix, with their own option in it. */
export const npmTookMessage = (option: string): string =>
  `npm took ${option} as its own option (it came before --), so it never reached the gateway: put -- between npm start and the gateway's options, e.g. npm start -- ${option}${option === '--config' || option === '--check-config' ? ' FILE' : ''}`;
