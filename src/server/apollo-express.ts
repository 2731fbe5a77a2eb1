import { HeaderMap, type ApolloServer, type BaseContext, type ContextFunction, type HTTPGraphQLRequest } from '@apollo/server';
import type { Request, RequestHandler, Response } from 'express';
import { answeredAlready } from './answer-deadline.js';
import { JsonAnswerText } from './json-answer.js';

export interface ExpressContextFunctionArgument {
  req: Request;
  res: Response;
}

/**
 * `@as-integrations/express5`'s `expressMiddleware` (1.1.2), with one change: an answer
 * Apollo's `stringifyResult` made as a `JsonAnswerText` (`json-answer.ts`) is sent as its
 * bytes, not as its text. Express's `res.send` turns any text of 1,000 characters or more
 * into a Buffer to count it, and for a large answer that flattened it into a fresh large
 * string first (see `json-answer.ts`). A Buffer goes through the same `res.send`: the same
 * Content-Length, HEAD and 304 handling.
 */
export function expressMiddleware<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  options: {
    context: ContextFunction<[ExpressContextFunctionArgument], TContext>;
    /** The request's own answer, come after its answer deadline had answered it: dropped. */
    onLateAnswer?: () => void;
  },
): RequestHandler {
  server.assertStarted('expressMiddleware()');
  const context = options.context;
  return async (req, res) => {
    if (!('body' in req)) {
      res.status(500);
      res.send('`req.body` is not set; this probably means you forgot to set up the `json` middleware before the Apollo Server middleware.');
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = {
      method: req.method.toUpperCase(),
      headers,
      search: searchOf(req.url),
      body: req.body as unknown,
    };
    const httpGraphQLResponse = await server.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: () => context({ req, res }) });
    // One answer per request: the deadline's went out (answer-deadline.ts).
    if (answeredAlready(res)) return void options.onLateAnswer?.();
    for (const [key, value] of httpGraphQLResponse.headers) res.setHeader(key, value);
    res.statusCode = httpGraphQLResponse.status || 200;
    if (httpGraphQLResponse.body.kind === 'complete') {
      const text: unknown = httpGraphQLResponse.body.string;
      res.send(text instanceof JsonAnswerText ? text.bytes : text);
      return;
    }
    for await (const chunk of httpGraphQLResponse.body.asyncIterator) {
      res.write(chunk);
      const flushable = res as Response & { flush?: () => void };
      if (typeof flushable.flush === 'function') flushable.flush();
    }
    res.end();
  };
}

/**
 * The query string of a request target with its `?` ('' when none), as `url.parse(target).search`
 * read it in the package's copy, without the legacy parser (DEP0169): Apollo reads a GET's
 * operation from it. A `#` ends the target before any `?` after it.
 */
export function searchOf(target: string): string {
  const hash = target.indexOf('#');
  const beforeHash = hash === -1 ? target : target.slice(0, hash);
  const start = beforeHash.indexOf('?');
  return start === -1 ? '' : beforeHash.slice(start);
}
