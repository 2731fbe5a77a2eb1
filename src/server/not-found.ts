/**
 * What the gateway's port answers at a path that is no route, over HTTP and to a WebSocket
 * upgrade alike. A bare "not found" at `/graphq`, or a POST or WebSocket to `/` (a GET there is sent
 * on to /graphql), left a caller guessing where the API is.
 */
export const NOT_FOUND_MESSAGE = 'not found: GraphQL is at /graphql (POST, GET, WebSocket; GraphiQL in a browser), health at /healthz and /readyz';

export const NOT_FOUND_BODY = { errors: [{ message: NOT_FOUND_MESSAGE, extensions: { code: 'NOT_FOUND' } }] } as const;
