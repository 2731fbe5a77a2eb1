import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface WsAnswer {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  /** Set when the answer came as a graphql-ws `error` message (the operation never ran). */
  refused?: boolean;
}

export const wsUrl = (graphqlUrl: string): string => graphqlUrl.replace(/^http/, 'ws');

/** A graphql-ws client over the `ws` package; one connection, opened on first use. */
export function wsClient(graphqlUrl: string, key?: string): Client {
  return createClient({
    url: wsUrl(graphqlUrl),
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    lazy: true,
    retryAttempts: 0,
  });
}

/** Runs one operation to its end: the last `next` payload, or the errors of an `error` message. */
export function wsRun(client: Client, query: string, variables?: Record<string, unknown>): Promise<WsAnswer> {
  return new Promise((resolve, reject) => {
    let last: WsAnswer = {};
    client.subscribe(
      { query, ...(variables ? { variables } : {}) },
      {
        next: (value) => {
          last = value as WsAnswer;
        },
        error: (error: unknown) => (Array.isArray(error) ? resolve({ errors: error as WsAnswer['errors'], refused: true }) : reject(error instanceof Error ? error : new Error(JSON.stringify(error)))),
        complete: () => resolve(last),
      },
    );
  });
}

export interface RawConnection {
  socket: WebSocket;
  /** Resolves with the close code and reason when the server closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves true on connection_ack, false when closed first. */
  acknowledged: Promise<boolean>;
}

/** A bare graphql-transport-ws connection that sends connection_init, for tests of close codes. */
export function rawConnection(graphqlUrl: string, key?: string, headers: Record<string, string> = {}): RawConnection {
  const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws', { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  socket.on('error', () => {});
  socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: key ? { authorization: `Bearer ${key}` } : {} })));
  const acknowledged = new Promise<boolean>((resolve) => {
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') resolve(true);
    });
    void closed.then(() => resolve(false));
  });
  return { socket, closed, acknowledged };
}

/** Follows an operation: `first` resolves at its first status, `all` with every status once it ends. */
export function follow(client: Client, id: string): { first: Promise<string>; all: Promise<string[]> } {
  const statuses: string[] = [];
  let firstSeen: (status: string) => void = () => {};
  const first = new Promise<string>((resolve) => (firstSeen = resolve));
  const all = new Promise<string[]>((resolve, reject) => {
    client.subscribe<{ operationUpdated: { status: string } }>(
      { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status } }', variables: { id } },
      {
        next: (value) => {
          if (value.errors) return reject(new Error(JSON.stringify(value.errors)));
          statuses.push(value.data!.operationUpdated.status);
          if (statuses.length === 1) firstSeen(statuses[0] as string);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(statuses),
      },
    );
  });
  return { first, all };
}

/**
 * Resolves once `holds()` is true of the messages received so far: at once, or at the first
 * message (on `socket`) after which it is. A wait on the event, not a poll; rejects if the socket
 * closes first, so a test that waits for what never comes fails with its reason, not its timeout.
 */
export function messagesWhen<T>(socket: WebSocket, holds: () => T | undefined | false): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const check = (): boolean => {
      const found = holds();
      if (found === undefined || found === false) return false;
      socket.off('message', onMessage);
      socket.off('close', onClose);
      resolve(found);
      return true;
    };
    // Listed after the test's own 'message' listener (which records the message), so it sees it.
    const onMessage = (): void => void check();
    const onClose = (): void => reject(new Error('the socket closed before the awaited message'));
    if (check()) return;
    socket.on('message', onMessage);
    socket.once('close', onClose);
  });
}
