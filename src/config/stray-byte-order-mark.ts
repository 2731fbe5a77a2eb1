/**
 * The line a byte-order mark begins after the file's first, or null: two files saved "UTF-8 with
 * BOM" (a Windows editor's default) joined with `cat`. Invisible in editors and terminals, the
 * mark became part of the key after it (`clients: unknown key; did you mean "clients"?`, the
 * mark unseen before the first) or an odd YAML refusal. One at the very start is every YAML reader's to
 * take; one inside a line is left to YAML, which reads it as any other character.
 */
export function strayByteOrderMarkLine(text: string): number | null {
  const at = text.indexOf('\n\ufeff');
  if (at === -1) return null;
  let line = 2;
  for (let index = text.indexOf('\n'); index !== -1 && index < at; index = text.indexOf('\n', index + 1)) line += 1;
  return line;
}

export const STRAY_BYTE_ORDER_MARK =
  'a byte-order mark (U+FEFF, invisible in editors) begins this line: files saved as "UTF-8 with BOM" joined into one (cat a.yaml b.yaml)? Delete it, or save each part as UTF-8 without BOM before joining them';
