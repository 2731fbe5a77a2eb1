/**
 * `new URLSearchParams(form).toString()`, the body of a BILLmanager form POST, without building a
 * URLSearchParams where no name or value needs encoding: an uncached dashboard's Zomro calls are
 * func names, ids and a session token, and each URLSearchParams (its pairs, its descriptor
 * reads, its serializer's parts) was some 3 KB of garbage. Anything else takes URLSearchParams
 * itself, so the text is the same either way.
 */
export function formBody(form: Record<string, string>): string {
  let body = '';
  for (const name of Object.keys(form)) {
    const value = form[name] as string;
    if (!standsAsItIs(name) || !standsAsItIs(value)) return new URLSearchParams(form).toString();
    body = body === '' ? `${name}=${value}` : `${body}&${name}=${value}`;
  }
  return body;
}

/** Whether the form encoding writes `text` unchanged: ASCII letters, digits and `*-._` only. */
function standsAsItIs(text: string): boolean {
  if (typeof text !== 'string') return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const unchanged = (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x2a || code === 0x2d || code === 0x2e || code === 0x5f;
    if (!unchanged) return false;
  }
  return true;
}
