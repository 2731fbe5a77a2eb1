import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type AddressGroupKind, GROUP_WORDS, groupsOf } from './address-groups.js';
import type { ClientAddressOf } from './client-address.js';

/**
 * Bytes of answers handed to their sockets and not yet taken by the kernel, per client address
 * (its IPv6 /64 and /48 at the shares of the other per-address limits), HTTP and WebSocket
 * together. Each connection's own rules (the HTTP stall period, `limits.maxWsBufferedBytes`)
 * bound how long and how much one connection holds, not how many do: an address may open
 * `limits.maxConnectionsPerAddress` connections, each holding a whole unread answer.
 *
 * An answer past the limit is refused, not held back: its bytes exist already, and holding them
 * until the client reads is what is bounded. An address holding nothing is never refused, so
 * one answer larger than the limit still goes out: an address holds at most the limit plus one
 * answer (those of one moment, counted as each is handed over, not as each is built).
 */
export class UnsentAnswerBytes {
  private readonly held = new Map<string, number>();

  constructor(readonly perAddress: number) {}

  /** Counts `size` bytes for `address`; says which limit refused them (nothing counted), or null. */
  take(address: string, size: number): AddressGroupKind | null {
    const groups = groupsOf(address, this.perAddress);
    const full = groups.find(({ group, limit }) => {
      const now = this.held.get(group) ?? 0;
      return now > 0 && now + size > limit;
    });
    if (full !== undefined) return full.by;
    for (const { group } of groups) this.add(group, size);
    return null;
  }

  /** The first of the groups of `address` that holds its limit or more, or null: a request now would be refused its answer. */
  full(address: string): AddressGroupKind | null {
    return groupsOf(address, this.perAddress).find(({ group, limit }) => (this.held.get(group) ?? 0) >= limit)?.by ?? null;
  }

  /** Gives back `size` bytes counted for `address`. */
  release(address: string, size: number): void {
    for (const { group } of groupsOf(address, this.perAddress)) this.add(group, -size);
  }

  /** What `key` (an address, or a /64 or /48 as address-groups.ts writes them) holds now. */
  bytes(key: string): number {
    return this.held.get(key) ?? 0;
  }

  private add(key: string, change: number): void {
    const bytes = (this.held.get(key) ?? 0) + change;
    // Nothing held is nothing kept: the map stays as small as what is held.
    if (bytes > 0) this.held.set(key, bytes);
    else this.held.delete(key);
  }
}

/** Why an answer was refused: the words a client reads. */
export function unsentAnswersMessage(by: AddressGroupKind, perAddress: number): string {
  return `${GROUP_WORDS[by]} has answers of more than ${perAddress} bytes it has not taken (limits.maxUnsentAnswerBytesPerAddress): read them, then ask again`;
}

export interface UnsentHttpAnswerRules {
  ledger: UnsentAnswerBytes;
  addressOf: ClientAddressOf;
  /** An answer replaced by the refusal: its request, the limit that refused it and the answer's size. */
  onRefused(req: IncomingMessage, by: AddressGroupKind, size: number): void;
  /**
   * Whether the request's answer may be replaced: not when it may have acted (a mutation, or an
   * operation its body does not show), since a client told to ask again would act twice.
   */
  replaceable(req: IncomingMessage): boolean;
}

/** The refusal's body: a GraphQL error answer. */
export const unsentAnswersRefusal = (by: AddressGroupKind, perAddress: number): string =>
  JSON.stringify({ errors: [{ message: unsentAnswersMessage(by, perAddress), extensions: { code: 'QUERY_TOO_COMPLEX' } }] });

type End = (chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;

/**
 * Refuses, before anything runs, a request from an address already holding its limit of answers
 * not taken: 429 `QUERY_TOO_COMPLEX`. A mutation's answer is never replaced once it has run
 * (see `replaceable`), so this is where one is refused.
 */
export function refuseWhileFull(ledger: UnsentAnswerBytes, addressOf: ClientAddressOf, onRefused: (req: IncomingMessage, by: AddressGroupKind) => void) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const full = ledger.full(addressOf(req));
    if (full === null) return next();
    onRefused(req, full);
    const body = unsentAnswersRefusal(full, ledger.perAddress);
    res.writeHead(429, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
  };
}

/**
 * Counts each HTTP answer, as it is ended, against its address until its last byte reaches the
 * kernel ('finish') or its connection closes (the socket's 'close', which a pipelined answer
 * still queued behind another never sees on itself). One past the limit is answered 429
 * `QUERY_TOO_COMPLEX` in its place, while its head can still change. Answers written in parts
 * (`res.write`: GraphiQL's files, streamed with backpressure) are not counted: only an answer
 * handed over whole can wait in the process.
 */
export function capUnsentHttpAnswers(server: Server, rules: UnsentHttpAnswerRules): void {
  /** Each connection's answers still counted: one 'close' listener per connection, however many it pipelines. */
  const pending = new WeakMap<Socket, Set<() => void>>();
  const releaseAtClose = (socket: Socket, release: () => void) => {
    const releases = pending.get(socket);
    if (releases) return void releases.add(release);
    pending.set(socket, new Set([release]));
    socket.once('close', () => {
      for (const each of pending.get(socket) ?? []) each();
      pending.delete(socket);
    });
  };
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const end = res.end.bind(res) as End;
    const replacement: End = (chunk, encoding, callback) => {
      res.end = end as ServerResponse['end'];
      const size = sizeOf(chunk, encoding);
      // Its client gone already (a slow answer it stopped waiting for): nothing will be held,
      // and no 'finish' or 'close' would come to give the count back.
      if (size === 0 || res.destroyed || req.socket.destroyed) return end(chunk, encoding, callback);
      const address = rules.addressOf(req);
      const refusedBy = rules.ledger.take(address, size);
      if (refusedBy === null) {
        // The connection's own 'close' too: an answer ended while a pipelined one before it is
        // still being made waits attached to no socket, and when the connection closes then it
        // emits neither 'finish' nor 'close': its bytes stayed counted for ever.
        let counted = true;
        const release = () => {
          if (!counted) return;
          counted = false;
          pending.get(req.socket)?.delete(release);
          rules.ledger.release(address, size);
        };
        res.once('finish', release);
        res.once('close', release);
        releaseAtClose(req.socket, release);
        return end(chunk, encoding, callback);
      }
      // Its head gone already, or its operation may have acted: it goes out, uncounted. Requests
      // arriving while the address is past its limit are refused before they run (refuseWhileFull).
      if (res.headersSent || !rules.replaceable(req)) return end(chunk, encoding, callback);
      rules.onRefused(req, refusedBy, size);
      const body = unsentAnswersRefusal(refusedBy, rules.ledger.perAddress);
      res.statusCode = 429;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('content-length', Buffer.byteLength(body));
      return end(body, 'utf8', typeof encoding === 'function' ? encoding : callback);
    };
    res.end = replacement as ServerResponse['end'];
  });
}

function sizeOf(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  if (chunk instanceof Uint8Array) return chunk.byteLength;
  return 0;
}

/**
 * One WebSocket connection's part of its address's count: each message from its send until ws
 * has handed it to the kernel, and what is left of them when the connection closes (a dropped
 * connection's writes may never be called back).
 */
export class ConnectionShare {
  private outstanding = 0;
  private closed = false;

  constructor(
    private readonly ledger: UnsentAnswerBytes,
    private readonly address: string,
  ) {}

  /** Counts a message of `size` bytes; the refusal's words when the address is past its limit (nothing counted). */
  take(size: number): string | null {
    if (this.closed) return null;
    const refusedBy = this.ledger.take(this.address, size);
    if (refusedBy !== null) return unsentAnswersMessage(refusedBy, this.ledger.perAddress);
    this.outstanding += size;
    return null;
  }

  /** A message of `size` bytes has reached the kernel (or failed with the connection). */
  sent(size: number): void {
    if (this.closed) return;
    this.outstanding -= size;
    this.ledger.release(this.address, size);
  }

  /** The connection closed: whatever it still counted is given back. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.ledger.release(this.address, this.outstanding);
    this.outstanding = 0;
  }
}
