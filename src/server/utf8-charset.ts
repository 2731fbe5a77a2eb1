import type { NextFunction, Request, Response } from 'express';

/**
 * Each charset parameter's value: quoted (with its quoted-pairs, `"utf\-16le"`, as
 * the parser unescapes them) or a token.
 */
const CHARSET = /;\s*charset\s*=\s*(?:"((?:[^"\\]|\\.)*)"?|([^;\s]*))/gi;
const QUOTED_PAIR = /\\(.)/g;
/** The JSON media types express's parser reads (`application/json`, `application/*+json`). */
const JSON_TYPE = /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;

/** A charset value as the parser would read it, lower-cased; `utf8` (some HTTP clients' dashless spelling) as `utf-8`. */
function charsetName(quoted: string | undefined, token: string | undefined): string {
  const name = (quoted === undefined ? (token ?? '') : quoted.replace(QUOTED_PAIR, '$1')).toLowerCase();
  return name === 'utf8' ? 'utf-8' : name;
}

/**
 * Lets only UTF-8 JSON bodies reach express's JSON parser, which decoded any
 * "utf-" charset (a UTF-8 body labelled UTF-16 was "malformed request body")
 * and refused `charset=utf8` (415) though Node's decoder, iconv and the WHATWG
 * encoding list take the dashless name for UTF-8.
 *
 * Every charset the header names is judged, not one: named twice
 * (`charset=utf-16le; charset=utf-8`) the parser decoded by the first while this
 * check read the last, so a UTF-16 body ran that a proxy or WAF reading UTF-8
 * saw with a NUL between each letter. The header the parser then reads is
 * rewritten to the media type and `charset=utf-8` alone: no spelling this check
 * reads otherwise than the parser does reaches it.
 */
export function utf8Charset(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers['content-type'];
  if (type === undefined || !JSON_TYPE.test(type)) return next();
  // An empty value names none: the parser took such a body as UTF-8.
  const named = [...type.matchAll(CHARSET)].map((match) => charsetName(match[1], match[2])).filter((charset) => charset !== '');
  const other = named.find((charset) => charset !== 'utf-8');
  if (other !== undefined) {
    return next(Object.assign(new Error(`unsupported charset "${other}"`), { status: 415, type: 'charset.unsupported', charset: other }));
  }
  const mediaType = type.slice(0, type.includes(';') ? type.indexOf(';') : undefined).trim();
  req.headers['content-type'] = named.length > 0 ? `${mediaType}; charset=utf-8` : mediaType;
  next();
}
