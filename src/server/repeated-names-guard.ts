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
      const name = body === undefined ? repeatedNameInSearch(req) : repeatedJsonName(body.toString('utf8'));
      if (name === undefined) return next();
      onRefused(req, name);
      res.status(400).json({ errors: [{ message: repeatedJsonNameMessage(name), extensions: { code: 'BAD_USER_INPUT' } }] });
    },
  };
}

/** A GET's `variables` and `extensions` are JSON too, parsed by Apollo Server from the search params. */
function repeatedNameInSearch(req: Request): string | undefined {
  if (req.method !== 'GET') return undefined;
  const query = req.query as Record<string, unknown>;
  for (const param of ['variables', 'extensions']) {
    const value = query[param];
    const name = typeof value === 'string' ? repeatedJsonName(value) : undefined;
    if (name !== undefined) return name;
  }
  return undefined;
}
