import { distance } from './did-you-mean.js';
import { isPlainWord } from './usable-id.js';

/**
 * A variable set in the environment that looks meant as `name` (unset), or as `name_FILE`:
 * `Dashboard_Key=...` (names are case-sensitive) or `DASHBOARD_KEY_FIEL=...` read only "DASHBOARD_KEY
 * is not set", and a newcomer who had set it looked for the mistake in the config file. Only a
 * name of a plain word's form is named: a token exported as a variable's name is none. A slip may
 * be the config's as well as the variable's, so both ways to put it right are said; one in `_FILE`
 * (`DASHBOARD_KEY_FIEL`) can only be the variable's.
 */
export function nearVariable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const wanted = [name, `${name}_FILE`];
  const apart = (key: string, meant: string): number => distance(key.toUpperCase(), meant.toUpperCase());
  // One slip in a short name, two (a transposed pair) in a long one.
  const near = (key: string, meant: string): boolean => key.toUpperCase() === meant.toUpperCase() || (key.length > 6 && apart(key, meant) <= (meant.length > 10 ? 2 : 1));
  const apartFromWanted = (key: string): number => Math.min(...wanted.map((meant) => apart(key, meant)));
  // The nearest set (another case is none apart), not the first the environment happens to list.
  const found = Object.keys(env)
    .filter((key) => !wanted.includes(key) && isPlainWord(key) && wanted.some((meant) => near(key, meant)))
    .sort((a, b) => apartFromWanted(a) - apartFromWanted(b) || (a < b ? -1 : 1))[0];
  if (found === undefined) return undefined;
  const meant = wanted.reduce((best, candidate) => (apart(found, candidate) < apart(found, best) ? candidate : best));
  if (found.toUpperCase() === meant.toUpperCase()) return `${found} is set: names are case-sensitive, write ${meant}`;
  if (meant !== name) return `${found} is set: did you mean ${meant}?`;
  // Either name may hold the slip: "ZOMRO_SESSION is set: did you mean ZOMRO_SESION?" had a newcomer
  // whose config was misspelt rename a right variable to the config's typo.
  return `${found} is set: one of the two names is misspelt; write \${${found}} here, or rename the variable to ${name}`;
}
