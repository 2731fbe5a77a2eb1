/**
 * Why a config file read as UTF-8 is no text at all, or null. A file saved as UTF-16 ("Unicode"
 * in Windows editors, PowerShell's `>` before version 7) reads as a NUL after every letter, and
 * YAML took it for one odd scalar: "(root): must be keys and values", naming nothing to change.
 * No YAML file holds a NUL (YAML 1.2 5.1 leaves it out of the printable set), so one is the tell.
 */
export function notUtf8TextProblem(text: string): string | null {
  if (!text.includes('\u0000')) return null;
  const utf16 = text.startsWith('\ufffd\ufffd') || /^(?:[^\u0000]\u0000){4}|^(?:\u0000[^\u0000]){4}/.test(text);
  return utf16
    ? 'the file is UTF-16 text, not UTF-8 (saved as "Unicode"?): save it as UTF-8 (an editor\'s encoding menu; PowerShell: Out-File -Encoding utf8)'
    : 'the file holds NUL bytes, which no YAML file holds: it is not a text file, or not UTF-8; save the config as UTF-8 text';
}
