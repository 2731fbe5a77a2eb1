/**
 * A provider id the schema takes: only such an id is quoted in a problem or a warning (anything
 * else written where an id goes may be a misplaced secret).
 */
export const USABLE_ID = /^[a-z0-9-]{1,64}$/;

/** Longer than any setting's name or a name people type: a pasted key often is longer still. */
const PLAIN_MAX_CHARS = 40;

/**
 * One piece of a plain word between separators: letters with a number after them (`node2`,
 * `ipv6`) or before them (`2fa`), or a number. A key or token mixes the two (`abc123XYZ`, `3f9a1c`).
 */
const PLAIN_PIECE = /^(?:[A-Za-z]+\d*|\d+[A-Za-z]*)$/;

/**
 * Whether text written in the config has the form of a plain word, a name or a setting's key
 * (`ops`, `maxDepth`, `max_depth`, `timeoutMS`, `ci-runner@example.com`, `DASHBOARD_KEY`), so that a problem
 * may quote it. Anything else may be a secret pasted in the wrong place: a client's key in its
 * `name`, a token written as a key on a line of its own. Random text mixes letters and digits
 * within a piece, or changes case more often than words do (`hGkQpLzXw`). Spaces are not taken:
 * a name with them is no plain word to audit lines.
 */
export function isPlainWord(text: string): boolean {
  if (text.length === 0 || text.length > PLAIN_MAX_CHARS) return false;
  const pieces = text.split(/[._@-]/);
  return pieces.every((piece) => PLAIN_PIECE.test(piece) && !LONG_RUN.test(piece) && wordLikeCase(piece.replace(/\d/g, '')));
}

/** A run no word or number people type has: 21 small letters (`abcdefghijklmnopqrstu`), or 9 digits. */
const LONG_RUN = /[a-z]{21}|\d{9}/;

/**
 * lower, Capitalised, UPPER, camelCase or an acronym within (`timeoutMS`, `backupStorageUUID`):
 * the case changes at most once for every three letters. Random letters change it every other one.
 * Or camelCase of short words (`backupGiveUpMs`, `MaxPageSize`), which changes it as often.
 */
function wordLikeCase(letters: string): boolean {
  const changes = [...letters].filter((letter, index) => index > 0 && isUpper(letter) !== isUpper(letters[index - 1]!)).length;
  return changes <= Math.ceil(letters.length / 3) || isCamelCaseOfWords(letters);
}

/** Words each begun with a capital (the first may be lower case), an acronym at the end. */
const CAMEL_CASE = /^[a-z]*(?:[A-Z][a-z]+)*[A-Z]*$/;

/**
 * camelCase whose words, but for the last and one other, have three letters or more: a setting's
 * name (`backupGiveUpMs`, `breakerHalfOpenAfterMs`) written in the wrong section was hidden as
 * "not of a setting's form". Random letters that alternate case so are mostly one- and
 * two-letter humps (`hGkQpLzXw`).
 */
function isCamelCaseOfWords(letters: string): boolean {
  if (!CAMEL_CASE.test(letters)) return false;
  const words = letters.match(/[A-Z]?[a-z]+|[A-Z]+/g) ?? [];
  return words.slice(0, -1).filter((word) => word.length < 3).length <= 1;
}

const isUpper = (letter: string): boolean => letter !== letter.toLowerCase();
