import type { NextFunction, Request, Response } from 'express';

/** `charset=utf8` (and `"UTF8"`): the dashless spelling some HTTP clients send. */
const DASHLESS_UTF8 = /(;\s*charset\s*=\s*)"?utf8"?(?=\s*(;|$))/i;

/**
 * Reads `charset=utf8` as `charset=utf-8` before express's JSON parser, which
 * takes only names beginning "utf-" and refused such a body (415), though
 * every byte of it was UTF-8 JSON. Node's decoder, iconv and the WHATWG
 * encoding list all take the dashless name for UTF-8.
 */
export function dashlessUtf8(req: Request, _res: Response, next: NextFunction): void {
  const type = req.headers['content-type'];
  if (type !== undefined && DASHLESS_UTF8.test(type)) req.headers['content-type'] = type.replace(DASHLESS_UTF8, '$1utf-8');
  next();
}
