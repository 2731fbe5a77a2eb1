/**
 * Client-written text as a provider's answer carries it back, each form scrubbed by the read path
 * as it stands (the scrubber runs over an answer's text before it is parsed): as written; in a
 * JSON string as JSON.stringify writes it (a newline is `\n`); as ASCII-only, HTML-safe JSON
 * (Python's ensure_ascii, Gson's and Rails' `\u003c` for `<`, `>`, `&`, `=`, `'`); with `/` as
 * `\/` (PHP's encoder); XML-escaped; and URL-encoded, as encodeURIComponent, a form body and
 * RFC 3986 (Python's `quote`) write it (BILLmanager quotes Zomro's form body back in an error message: a name of
 * `ken"-3f90` ... `ken"-3f9f` came back with `ken%22-3f9a` `[redacted]`, the scrubber reading
 * `%22` as a joiner it does not see in `"`). A text the scrubber passes as written may not pass so
 * quoted: "pi-key-" + newline + "/4" read back `[redacted]` from Danube's JSON, the oracle again.
 */
export function quotedForms(text: string): string[] {
  const forms = formsAsQuoted(text);
  // A provider that normalises what it keeps (NFKC) sends full-width `ｐｉ-ｋｅｙ` back as `pi-key`.
  const compatible = text.normalize('NFKC');
  return compatible === text ? forms : [...new Set([...forms, ...formsAsQuoted(compatible)])];
}

function formsAsQuoted(text: string): string[] {
  const json = JSON.stringify(text);
  const asciiJson = json.replace(/[^\u0020-\u007e]|[<>&=']/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const uriComponent = encodeURIComponent(text);
  const forms = new Set([text, json, asciiJson, json.replaceAll('/', '\\/'), xmlEscaped(text), uriComponent, new URLSearchParams([['', text]]).toString().slice(1), rfc3986Reserved(uriComponent)]);
  return [...forms];
}

/**
 * Percent-encoding as RFC 3986 reserves `!'()*` (Python's `quote`, PHP's `rawurlencode`): `*` is
 * left as it is by encodeURIComponent and a form body, and `api*-key-4` read back `%2A` is a piece.
 */
function rfc3986Reserved(uriComponent: string): string {
  return uriComponent.replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xmlEscaped(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);
}
