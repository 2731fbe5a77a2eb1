/**
 * Problems with a provider account read `providers[1].url: ...`, an index counted from zero,
 * while the warnings read `(account flex)`: an operator counting from one edited the block
 * before the one meant. Each problem names the account as the warnings do, by its id, and by
 * its place counted from one ("the 2nd provider") where the id cannot tell it apart (none, one
 * the schema refuses, or one two accounts share).
 */

const ACCOUNT_LINE = /^(providers\[(\d+)\][^\s:]*)(: .*)$/s;
/** An id the schema takes: only such an id is quoted (anything else may be a misplaced secret). */
const USABLE_ID = /^[a-z0-9-]{1,64}$/;

/** "1st", "2nd", "3rd", "11th", "22nd". */
export function ordinal(position: number): string {
  const lastTwo = position % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][position % 10] ?? 'th');
  return `${position}${suffix}`;
}

/** How problems and warnings name the account at `index` of the config's providers list. */
export function accountLabel(providers: readonly unknown[], index: number): string {
  const id = idOf(providers[index]);
  const shared = id !== undefined && providers.filter((provider) => idOf(provider) === id).length > 1;
  return id !== undefined && !shared ? `account ${id}` : `the ${ordinal(index + 1)} provider`;
}

/** Each problem line about a provider account with the account's name after its key path. */
export function withAccountLabels(problems: readonly string[], config: unknown): string[] {
  const providers = providersOf(config);
  return problems.map((line) => {
    const match = ACCOUNT_LINE.exec(line);
    if (!match) return line;
    const [, path, index, rest] = match as unknown as [string, string, string, string];
    return `${path} (${accountLabel(providers, Number(index))})${rest}`;
  });
}

function providersOf(config: unknown): unknown[] {
  const providers = config !== null && typeof config === 'object' ? (config as Record<string, unknown>).providers : undefined;
  return Array.isArray(providers) ? providers : [];
}

function idOf(provider: unknown): string | undefined {
  const id = provider !== null && typeof provider === 'object' ? (provider as Record<string, unknown>).id : undefined;
  return typeof id === 'string' && USABLE_ID.test(id) ? id : undefined;
}
