import { toStringOrNull } from '../../domain/units.js';
import { originalOf } from './wire.js';

const wordOf = (value: unknown): string | undefined => toStringOrNull(value)?.trim().toLowerCase();

/**
 * A BILLmanager on/off flag of a list row, such as a backup's `protected` ("If "off", the backup
 * can be deleted. If "on", the backup cannot be deleted.", Zomro's backup document, whose example
 * is `{"$": "off"}`). BILLmanager sends a value as stored in `$orig` beside the word it shows in
 * `$` where the two differ (providers.md; the `{"$orig": "4", "$": "Deleted"}` of its deleted
 * services): a flag column shown in the panel's language ("Да"/"Нет", "Yes"/"No") is read from
 * `$orig`, and `$` is read where no `$orig` says on or off. Anything else is off, as before: the
 * document names no third value.
 */
export function flagOn(row: Record<string, unknown>, field: string): boolean {
  const stored = wordOf(originalOf(row, field));
  if (stored === 'on' || stored === 'off') return stored === 'on';
  return wordOf(row[field]) === 'on';
}
