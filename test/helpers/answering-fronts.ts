import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a front answers every request with until the test changes it. */
export interface FrontAnswer {
  status: number;
  body: string;
}

/**
 * Loopback servers standing in for hostile providers, one per name: each answers every request
 * with what `answering[name]` holds when the request's body has arrived, so a test sets the answer
 * and then sends the query that reaches it.
 */
export interface AnsweringFronts<Name extends string> {
  /** Each front's answer; change it before the request that should get it. */
  readonly answering: Record<Name, FrontAnswer>;
  /** Each front's base URL, for an account's `url`. */
  readonly urls: Record<Name, string>;
  close(): Promise<void>;
}

export async function startAnsweringFronts<Name extends string>(first: Record<Name, FrontAnswer>): Promise<AnsweringFronts<Name>> {
  const answering = { ...first };
  const servers: Server[] = [];
  const urls = {} as Record<Name, string>;
  for (const name of Object.keys(first) as Name[]) {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(answering[name].status, { 'content-type': 'application/json' });
        res.end(answering[name].body);
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  return {
    answering,
    urls,
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
