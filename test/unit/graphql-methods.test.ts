import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refuseOtherMethods } from '../../src/server/graphql-methods.js';

/** refuseOtherMethods in front of a route that answers every method it is handed, over loopback. */
describe('refuseOtherMethods', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    const app = express();
    app.use('/graphql', refuseOtherMethods);
    app.all('/graphql', (req, res) => {
      res.set('x-reached', req.method).send('reached');
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(['GET', 'HEAD', 'POST'])('%s goes on to GraphQL', async (method) => {
    const response = await fetch(url, { method });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-reached')).toBe(method);
  });

  it.each(['PUT', 'PATCH', 'DELETE', 'OPTIONS'])('%s: 405, Allow: GET, POST, a typed error naming the method', async (method) => {
    const response = await fetch(url, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(response.headers.get('x-reached')).toBeNull();
    expect(await response.json()).toEqual({
      errors: [{ message: `method ${method} is not answered here: send GraphQL requests with POST (or GET for queries)`, extensions: { code: 'BAD_USER_INPUT' } }],
    });
  });
});
