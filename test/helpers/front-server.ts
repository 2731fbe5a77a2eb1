import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderKind } from '../../src/providers/registry.js';
import { startHarness, withAccountCopy, type Harness } from './harness.js';

/** Headers of one hop, not passed on to the simulator. */
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

/**
 * Answers a request itself (and returns true), or leaves it to the simulator (false). Called once
 * the request's body has arrived, with it.
 */
export type Intercept = (req: IncomingMessage, res: ServerResponse, body: Buffer) => boolean;

/**
 * A harness whose account `accountId` reaches a `kind` simulator through a loopback front that
 * plays a hostile or broken provider: `intercept` answers the requests it chooses, and every
 * other one is passed on to the simulator and its answer passed back.
 */
export async function harnessBehindFront(kind: ProviderKind, accountId: string, intercept: Intercept): Promise<{ harness: Harness; close(): Promise<void> }> {
  let simulatorUrl = '';
  const front: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (intercept(req, res, body)) return;
      const headers = Object.fromEntries(Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_HEADERS.has(entry[0])));
      fetch(`${simulatorUrl}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) }).then(
        async (answer) => {
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const frontUrl = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  const harness = await startHarness({ kinds: [kind], configure: withAccountCopy(kind, { id: accountId, url: frontUrl }) });
  simulatorUrl = harness.simulator(kind).url;
  return {
    harness,
    close: async () => {
      await harness.close();
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
