import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An answer a proxy sends instead of the provider's. */
export interface Forged {
  status: number;
  body: unknown;
}

/** A forging proxy on loopback: `origin` goes in an account's url in place of the simulator's. */
export interface ForgingProxy {
  origin: string;
  close(): void;
}

/**
 * In front of a simulator: each request `forge` answers (by its method and url) gets that answer
 * instead, the rest are passed through as they came. A hostile or broken provider, or a proxy
 * before it, as the gateway may meet one.
 */
export async function startForgingProxy(target: () => string, forge: (request: IncomingMessage) => Forged | null): Promise<ForgingProxy> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const answer = forge(req);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
        return;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)).map(([name, value]) => [name, String(value)]));
      const body = req.method === 'GET' ? {} : { body: Buffer.concat(chunks).toString('utf8') };
      fetch(target() + (req.url ?? '/'), { method: req.method, headers, ...body })
        .then(async (upstream) => {
          const passed: Record<string, string> = {};
          for (const name of ['content-type', 'location', 'date']) {
            const value = upstream.headers.get(name);
            if (value !== null) passed[name] = value;
          }
          res.writeHead(upstream.status, passed);
          res.end(Buffer.from(await upstream.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}
