import { configSchema } from './schema.js';

/** A setting's name as the schema spells it, and where it is written: `limits`, `providers[].auth`, `the top level`. */
export interface SettingPlace {
  readonly name: string;
  readonly places: readonly string[];
}

/** A zod schema's definition, as far as the walk below reads it. */
interface Definition {
  readonly type?: string;
  readonly shape?: Readonly<Record<string, unknown>>;
  readonly innerType?: unknown;
  readonly element?: unknown;
  readonly options?: readonly unknown[];
  readonly in?: unknown;
  readonly out?: unknown;
  readonly valueType?: unknown;
}

const definitionOf = (schema: unknown): Definition | undefined => (schema as { _zod?: { def?: Definition } } | undefined)?._zod?.def;

/** `timeoutMs`, `timeout_ms`, `TIMEOUTMS` alike: case, `_` and `-` are how people retype a name. */
const settingKey = (name: string): string => name.toLowerCase().replace(/[_-]/g, '');

/** Each object's keys and the place they are written, found by walking the schema's wrappers. */
function walk(schema: unknown, place: string, found: Map<string, { name: string; places: Set<string> }>, seen: Set<unknown>): void {
  const definition = definitionOf(schema);
  if (definition === undefined || seen.has(schema)) return;
  seen.add(schema);
  if (definition.shape !== undefined) {
    for (const [name, inner] of Object.entries(definition.shape)) {
      const entry = found.get(settingKey(name)) ?? { name, places: new Set<string>() };
      entry.places.add(place);
      found.set(settingKey(name), entry);
      walk(inner, place === '' ? name : `${place}.${name}`, found, seen);
    }
    return;
  }
  if (definition.element !== undefined) walk(definition.element, `${place}[]`, found, seen);
  for (const option of definition.options ?? []) walk(option, place, found, seen);
  for (const inner of [definition.innerType, definition.in, definition.out, definition.valueType]) if (inner !== undefined) walk(inner, place, found, seen);
}

let settings: ReadonlyMap<string, SettingPlace> | undefined;

/** Every setting's name in the config schema, by settingKey, with the places it is written. */
function allSettings(): ReadonlyMap<string, SettingPlace> {
  if (settings !== undefined) return settings;
  const found = new Map<string, { name: string; places: Set<string> }>();
  walk(configSchema, '', found, new Set());
  settings = new Map([...found].map(([key, { name, places }]) => [key, { name, places: [...places].map((place) => (place === '' ? 'the top level' : place)) }]));
  return settings;
}

/**
 * The setting a key names, whatever its case or `_`s (`backupgiveupms`, `BREAKER_HALF_OPEN_AFTER_MS`):
 * its name is no secret wherever it is written, though its letters may run longer than a word's.
 */
export function settingNamed(key: string): SettingPlace | undefined {
  return allSettings().get(settingKey(key));
}

/** `providers[N].auth` for the path `['providers', 0, 'auth']`: the form problems name paths in. */
const placeOf = (path: ReadonlyArray<PropertyKey>): string => path.map((step) => (typeof step === 'number' ? '[]' : `.${String(step)}`)).join('').replace(/^\./, '');
const shownPlace = (place: string): string => (place === 'the top level' ? place : place.replace(/\[\]/g, '[N]'));

/**
 * The hint for an unknown key that is a setting of another section (an indent lost, a block
 * pasted under the wrong heading): "allowed here: ..." listed this section's keys and did not say
 * where the one written belongs. Undefined where the key names no setting, or one of this very
 * place (a near typo there, or a key another provider kind takes, is the other hints' to name).
 */
export function misplacedSettingHint(key: string, path: ReadonlyArray<PropertyKey>): string | undefined {
  const setting = settingNamed(key);
  if (setting === undefined || setting.places.includes(placeOf(path) || 'the top level')) return undefined;
  const where = setting.places.map(shownPlace).join(', ');
  return setting.name === key ? `unknown key here; ${key} is a setting of ${where}: move it there if it is that` : `unknown key here; did you mean "${setting.name}", a setting of ${where}? Move it there if it is that`;
}
