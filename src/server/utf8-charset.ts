import type { NextFunction, Request, Response } from 'express';

/** `charset=utf8` (and `"UTF8"`): the dashless spelling some HTTP clients send. */
const DASHLESS_UTF8 = /(;\s*charset\s*=\s*)"?utf8"?(?=\s*(;|$))/gi;
/** Each charset parameter's value, quoted or not: the parser reads the last of several. */
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/gi;
/** The JSON media types express's parser reads (`application/json`, `application/*+json`). */
const JSON_TYPE = /^\s*application\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;

/**
 * Reads `charset=utf8` as `charset=utf-8` before express's JSON parser, which
 * takes only names beginning "utf-" and refused such a body (415), though
 * every byte of it was UTF-8 JSON. Node's decoder, iconv and the WHATWG
 * encoding list all take the dashless name for UTF-8.
 *
 * Every other "utf-" name but UTF-8 is refused as express's parser refuses
 * other charsets (its error, the same 415 answer): it decoded UTF-16 and
 * UTF-32 bodies, so a UTF-8 body labelled so was "malformed request body",
 * and the README's rule (JSON bodies are UTF-8) held for some names only.
 */
export function utf8Charset(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers['content-type'];
  if (type === undefined) return next();
  const spelt = type.replace(DASHLESS_UTF8, '$1utf-8');
  req.headers['content-type'] = spelt;
  // The last, as the parser's content-type reads it: the first let "charset=utf-8; charset=utf-16" through to a UTF-16 decode.
  const charset = [...spelt.matchAll(CHARSET)].at(-1)?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || !charset.startsWith('utf-') || !JSON_TYPE.test(spelt)) return next();
  next(Object.assign(new Error(`unsupported charset "${charset}"`), { status: 415, type: 'charset.unsupported', charset }));
}
