import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { repeatedJsonName, repeatedJsonNameMessage } from './duplicate-json-keys.js';

/**
 * Refusal of a JSON body that names something twice in one object (duplicate-json-keys.ts), as
 * two Authorization lines are refused: the gateway would act on the last, a proxy in front may
 * have judged the first. `keep` is express.json's `verify`, called with the body's bytes before
 * the parse; `refuse` runs after it, so a body that is no JSON keeps the parser's own answer.
 */
export function repeatedNamesGuard(onRefused: (req: Request, name: string) => void): {
  keep: (req: IncomingMessage, res: unknown, body: Buffer) => void;
  refuse: (req: Request, res: Response, next: NextFunction) => void;
} {
  const bodies = new WeakMap<IncomingMessage, Buffer>();
  return {
    keep: (req, _res, body) => void bodies.set(req, body),
    refuse: (req, res, next) => {
      const body = bodies.get(req);
      bodies.delete(req);
      // The charset check before the parser lets UTF-8 alone through (utf8-charset.ts).
      // A GET is answered from its search whether or not a body came with it.
      const name = (body === undefined ? undefined : repeatedJsonName(body.toString('utf8'))) ?? repeatedNameInSearch(req);
      if (name === undefined) return next();
      onRefused(req, name);
      res.status(400).json({ errors: [{ message: repeatedJsonNameMessage(name), extensions: { code: 'BAD_USER_INPUT' } }] });
    },
  };
}

/**
 * A GET's `variables` and `extensions` are JSON too, parsed by Apollo Server from the search. Read
 * as Apollo reads them (URLSearchParams of the URL), not from express's req.query: its parser
 * stops at 1000 parameters, so `variables` after 1000 others went unread here and ran there.
 */
function repeatedNameInSearch(req: Request): string | undefined {
  if (req.method !== 'GET') return undefined;
  const queryAt = req.url.indexOf('?');
  if (queryAt === -1) return undefined;
  const hashAt = req.url.indexOf('#', queryAt);
  const search = new URLSearchParams(req.url.slice(queryAt + 1, hashAt === -1 ? undefined : hashAt));
  for (const param of ['variables', 'extensions']) {
    for (const value of search.getAll(param)) {
      const name = repeatedJsonName(value);
      if (name !== undefined) return name;
    }
  }
  return undefined;
}
