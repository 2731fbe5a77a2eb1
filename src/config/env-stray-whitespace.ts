/**
 * A variable whose value is right but for a space or line break at an end: a `.env` file saved
 * on Windows gives every value a carriage return, and `PORT=4000 ` keeps its space. Quoted
 * as it was, the refusal read `PORT=4000: must be a whole number` (the carriage return does not
 * show), naming a value that looked right.
 */
export function strayWhitespaceProblem(name: string, value: string, valid: (trimmed: string) => boolean): string | null {
  const trimmed = value.trim();
  if (trimmed === value || !valid(trimmed)) return null;
  const what = /[\r\n]/.test(value) ? "a line break (a .env file saved with Windows line ends? save it with Unix ones, LF)" : 'a space';
  return `${name}=${trimmed} has ${what} at an end: remove it`;
}
