import type { IncomingMessage } from 'node:http';
import { getOperationAST, parse } from 'graphql';

/**
 * Whether a GraphQL request over HTTP surely did not act: its parsed body (express.json) holds
 * query text whose operation is a query or subscription. A mutation, a persisted query sent by
 * hash alone, or anything that does not parse: maybe it did. Parsed again only when asked, on
 * a refusal's path, within `limits.maxTokens` as every query text is.
 */
export const surelyReadOnly = (maxTokens: number) => (req: IncomingMessage): boolean => {
  const body = (req as IncomingMessage & { body?: unknown }).body;
  if (typeof body !== 'object' || body === null) return false;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return false;
  try {
    const kind = getOperationAST(parse(query, { noLocation: true, maxTokens }), typeof operationName === 'string' ? operationName : undefined)?.operation;
    return kind === 'query' || kind === 'subscription';
  } catch {
    return false;
  }
};
