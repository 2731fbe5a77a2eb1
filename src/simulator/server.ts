import type { SimulatorSeedOptions } from './random.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FAULT_MODES, type FaultMode, type FaultSettings } from './faults.js';
import { writeUnreadableHttp } from './unreadable-http.js';
import { withNestedEscapes } from './nested-escapes.js';
import { withWordsCut } from './cut-words.js';
import { RequestHold } from './request-hold.js';

/** A request as a simulator's handler sees it. */
export interface SimRequest {
  method: string;
  /** The raw path, still percent-encoded, without the query. */
  rawPath: string;
  /** Path segments, each decoded. */
  segments: string[];
  query: URLSearchParams;
  /** The query as the request line wrote it, byte for byte, without its `?` ('' when none): as a server hands it to its app (WSGI's QUERY_STRING). */
  rawQuery: string;
  headers: IncomingMessage['headers'];
  bodyText: string;
  /** Form fields of a urlencoded or multipart body (and of the query, for GET). */
  form: Map<string, string>;
  /** JSON body, or undefined when there is none or it does not parse. */
  json: unknown;
  /** A name for the request in the simulator's log; handlers set it, e.g. "instances.fleio_bckps". */
  label: string;
}

export interface SimResponse {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  /**
   * No content type at all, whatever the body: a server that names none (ZStack's
   * `RestServer.sendResponse` sets the status and writes its JSON, or its plain words, bare).
   * Otherwise `json` is named `application/json` and `text` `text/plain` unless `headers` say.
   */
  untyped?: boolean;
}

export type SimHandler = (request: SimRequest) => SimResponse | Promise<SimResponse>;

export interface SimulatorServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Delay added before every answer, as a distant provider would show. */
  latencyMs?: number;
  /**
   * Most requests the log keeps (the newest); unbounded by default, for tests.
   * Long load runs (the benchmark) set one, or the log alone would grow the
   * simulator's heap, and its garbage collector's work, without end.
   */
  logLimit?: number;
}

export interface LoggedRequest {
  method: string;
  label: string;
  rawPath: string;
  query: string;
  /** Decoded form fields, for assertions on what the gateway sent. */
  form: Record<string, string>;
  headers: IncomingMessage['headers'];
  bodyText: string;
}

const CONTROL_PREFIX = '/__sim/';

/**
 * The HTTP half of every provider simulator: a real server on loopback with
 * latency, fault injection and a log of the requests it received (tests count
 * upstream calls from it). Provider behaviour lives in the handler.
 *
 * Out-of-process users (the benchmark) reach the same knobs over HTTP under
 * /__sim/: GET stats, GET requests, POST reset, POST fault {mode,...}, POST latency {ms}.
 */
export class SimulatorServer {
  readonly log: LoggedRequest[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private fault: FaultSettings = { mode: 'none' };
  private port: number;
  private readonly host: string;
  private transition: Promise<void> = Promise.resolve();
  latencyMs: number;
  private readonly logLimit: number;
  /** Requests being handled right now, and the most seen at once (to check a concurrency cap). */
  inFlight = 0;
  maxInFlight = 0;
  /** Requests being handled right now: a test can act once a given request is at the provider. */
  private readonly handling = new Set<SimRequest>();
  /** Requests whose connection closed before their answer was sent in full: the client gave up on them. */
  abandoned = 0;
  /** Answers to requests of these labels wait for their hold's release (see holdAnswersOf). */
  private readonly answerHolds = new Map<string, RequestHold>();

  /**
   * `echo` answers the 'echo' fault in the provider's own error shape; without
   * it, a generic 400 quotes the request's headers and body.
   */
  constructor(
    readonly name: string,
    private readonly handler: SimHandler,
    options: SimulatorServerOptions = {},
    private readonly echo: SimHandler = echoRequest,
  ) {
    this.port = options.port ?? 0;
    this.host = options.host ?? '127.0.0.1';
    this.latencyMs = options.latencyMs ?? 0;
    this.logLimit = options.logLimit ?? Number.POSITIVE_INFINITY;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => {
      this.serve(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('simulator error');
      });
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Sets a fault; 'down' stops listening (connection refused) until another
   * mode is set. Calls are serialised: a quick down/up must not start
   * listening again before the old listener has let go of the port.
   */
  setFault(settings: FaultSettings | FaultMode): Promise<void> {
    const next = this.transition.then(async () => {
      this.fault = typeof settings === 'string' ? { mode: settings } : { ...settings };
      if (this.fault.mode === 'down') await this.stop();
      else await this.start();
    });
    this.transition = next.catch(() => {});
    return next;
  }

  clearFault(): Promise<void> {
    return this.setFault('none');
  }

  /** Connections open now (keep-alive ones included). */
  get openConnections(): number {
    return this.sockets.size;
  }

  /** Requests received whose label (or path) matches. */
  count(match?: string | RegExp | ((request: LoggedRequest) => boolean)): number {
    if (match === undefined) return this.log.length;
    return this.log.filter((request) =>
      typeof match === 'function' ? match(request) : typeof match === 'string' ? request.label === match : match.test(request.label),
    ).length;
  }

  /** Requests being handled right now (arrived, not yet answered) that match. */
  inFlightWhere(match: (request: SimRequest) => boolean): number {
    let count = 0;
    for (const request of this.handling) if (match(request)) count += 1;
    return count;
  }

  /**
   * Requests labelled `label` are handled at once (the provider acts) and their answers wait until
   * the hold is released: a test can do what it must while the answer is out, under any load,
   * where a 'late' fault's fixed delay may run out first.
   */
  holdAnswersOf(label: string): RequestHold {
    const hold = new RequestHold();
    this.answerHolds.set(label, hold);
    return hold;
  }

  resetLog(): void {
    this.log.length = 0;
    this.maxInFlight = this.inFlight;
    this.abandoned = 0;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const bodyText = await readBody(req);
    if (url.pathname.startsWith(CONTROL_PREFIX)) return this.control(url.pathname.slice(CONTROL_PREFIX.length), bodyText, res);

    const request = await parseRequest(req, url, bodyText);
    res.once('close', () => {
      if (!res.writableFinished) this.abandoned += 1;
    });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.handling.add(request);
    let answer: SimResponse;
    let injected: FaultSettings | null;
    try {
      if (this.latencyMs > 0) await delay(this.latencyMs);
      if (this.fault.onlyRequest !== undefined) {
        // The label as parsed, before a handler names the request.
        injected = request.label === this.fault.onlyRequest ? this.nextFault() : null;
        answer = injected && !sendsRealAnswer(injected.mode) ? await this.answerFault(injected, request) : await this.handler(request);
      } else if (this.fault.onlyLabel !== undefined) {
        answer = await this.handler(request);
        injected = request.label === this.fault.onlyLabel ? this.nextFault() : null;
        if (injected && !sendsRealAnswer(injected.mode)) answer = await this.answerFault(injected, request);
      } else {
        injected = this.nextFault();
        answer = injected && !sendsRealAnswer(injected.mode) ? await this.answerFault(injected, request) : await this.handler(request);
      }
      const hold = this.answerHolds.get(request.label);
      if (hold) {
        answer = structuredClone(answer);
        await hold.pass();
      }
      if (injected?.mode === 'late') {
        // As it is now: handlers answer with their live rows, which a job finishing meanwhile would change.
        answer = structuredClone(answer);
        await delay(injected.slowMs ?? 1_000);
      }
    } finally {
      this.inFlight -= 1;
      this.handling.delete(request);
    }
    this.log.push({
      method: request.method,
      label: request.label,
      rawPath: request.rawPath,
      query: url.search,
      form: Object.fromEntries(request.form),
      headers: request.headers,
      bodyText,
    });
    // Trimmed in halves, so each trim's copy is paid for by logLimit requests.
    if (this.log.length >= 2 * this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
    if (injected?.mode === 'truncated') return truncate(res);
    if (injected?.mode === 'header-flood' || injected?.mode === 'not-http') return writeUnreadableHttp(res, injected.mode);
    if (injected?.mode === 'trickle') return trickle(res, answer, injected.trickleIntervalMs ?? 1_000);
    send(res, answer);
  }

  private nextFault(): FaultSettings | null {
    const fault = this.fault;
    if (fault.mode === 'none' || fault.mode === 'down') return null;
    if (fault.times !== undefined) {
      if (fault.times <= 0) return null;
      fault.times -= 1;
    }
    return fault;
  }

  private async answerFault(fault: FaultSettings, request: SimRequest): Promise<SimResponse> {
    switch (fault.mode) {
      case 'echo': {
        const echo = await this.echo(request);
        const cut = fault.wordsCutBy === undefined ? echo : withWordsCut(echo, fault.wordsCutBy);
        return fault.nestedEscapes ? withNestedEscapes(cut) : cut;
      }
      case 'slow':
        await delay(fault.slowMs ?? 30_000);
        return { status: 200, json: {} };
      case 'http-500':
        return { status: 500, text: 'Internal Server Error' };
      case 'http-503':
        return { status: 503, text: 'Service Unavailable' };
      case 'http-401':
        return { status: 401, text: 'Unauthorized' };
      case 'http-403':
        return { status: 403, text: 'Forbidden' };
      case 'rate-limit':
        return { status: 429, text: 'Too Many Requests', headers: { 'retry-after': String(fault.retryAfterSeconds ?? 1) } };
      case 'malformed-json':
        return { status: 200, text: '{"doc": {"elem": [', headers: { 'content-type': 'application/json' } };
      case 'not-found-page':
        return { status: 404, text: '<html><body><h1>404 Not Found</h1><hr><center>nginx</center></body></html>', headers: { 'content-type': 'text/html' } };
      case 'not-found-json':
        return { status: 404, json: { status: 404, error: 'Not Found' } };
      case 'html-error':
        return { status: 502, text: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' } };
      case 'redirect':
        return { status: 301, headers: { location: `https://sim-user:${REDIRECT_SECRET}@${String(request.headers.host)}${request.rawPath}` } };
      case 'redirect-json':
        return { status: 302, json: [], headers: { location: `https://${String(request.headers.host)}${request.rawPath}` } };
      case 'empty-body':
        return { status: 200, text: '', headers: { 'content-type': 'application/json' } };
      case 'wrong-content-type':
        return { status: 200, text: '<html><body>maintenance</body></html>', headers: { 'content-type': 'text/html' } };
      default:
        return { status: 200, json: {} };
    }
  }

  private async control(command: string, bodyText: string, res: ServerResponse): Promise<void> {
    const body = safeJson(bodyText) as Record<string, unknown> | undefined;
    if (command === 'stats') {
      const byLabel: Record<string, number> = {};
      for (const request of this.log) byLabel[request.label] = (byLabel[request.label] ?? 0) + 1;
      const connections = { open: this.openConnections, inFlight: this.inFlight, abandoned: this.abandoned };
      return send(res, { status: 200, json: { name: this.name, total: this.log.length, byLabel, connections } });
    }
    if (command === 'requests') {
      // The benchmark replays them with a bare HTTP client: the floor under the gateway's upstream cost.
      const requests = this.log.map(({ method, rawPath, query, headers, bodyText }) => ({ method, path: rawPath + query, headers: endToEndHeaders(headers), body: bodyText }));
      return send(res, { status: 200, json: { requests } });
    }
    if (command === 'reset') {
      this.resetLog();
      return send(res, { status: 200, json: { ok: true } });
    }
    if (command === 'latency' && typeof body?.ms === 'number') {
      this.latencyMs = body.ms;
      return send(res, { status: 200, json: { ok: true } });
    }
    if (command === 'fault' && typeof body?.mode === 'string' && (FAULT_MODES as readonly string[]).includes(body.mode) && body.mode !== 'down') {
      await this.setFault(body as unknown as FaultSettings);
      return send(res, { status: 200, json: { ok: true } });
    }
    send(res, { status: 404, json: { error: 'unknown simulator command' } });
  }
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function endToEndHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string' && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

/** JSON only where it looks like JSON: a form body would throw, and a throw per request is most of a simulator's CPU. */
const LOOKS_JSON = /^\s*[[{"]/;

function safeJson(text: string): unknown {
  if (!LOOKS_JSON.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function parseRequest(req: IncomingMessage, url: URL, bodyText: string): Promise<SimRequest> {
  const method = req.method ?? 'GET';
  const contentType = String(req.headers['content-type'] ?? '');
  const form = new Map<string, string>(url.searchParams);
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(bodyText)) form.set(key, value);
  } else if (contentType.startsWith('multipart/form-data')) {
    // The platform's own multipart parser: the simulator accepts what real clients send.
    const parsed = await new Request('http://simulator/', { method: 'POST', headers: { 'content-type': contentType }, body: bodyText }).formData();
    for (const [key, value] of parsed) if (typeof value === 'string') form.set(key, value);
  }
  const rawPath = url.pathname;
  const segments = rawPath
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  const target = req.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawQuery = queryStart === -1 ? '' : target.slice(queryStart + 1);
  return { method, rawPath, segments, query: url.searchParams, rawQuery, headers: req.headers, bodyText, form, json: safeJson(bodyText), label: `${method} ${rawPath}` };
}

function send(res: ServerResponse, answer: SimResponse): void {
  const { headers, body } = encode(answer);
  res.writeHead(answer.status, headers);
  res.end(body);
}

function encode(answer: SimResponse): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = { ...answer.headers };
  let body = '';
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    if (!answer.untyped) headers['content-type'] ??= 'application/json';
  } else if (answer.text !== undefined) {
    body = answer.text;
    if (!answer.untyped) headers['content-type'] ??= 'text/plain';
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  return { headers, body };
}

/** The password in the 'redirect' fault's Location: a test checks no answer carries it. */
export const REDIRECT_SECRET = 'redirect-pass-5e1f';

/** A trickle and a late answer send the real answer, only slowly. */
const sendsRealAnswer = (mode: FaultMode): boolean => mode === 'trickle' || mode === 'late';

/** Headers at once, then the body a byte per interval, until it is all sent or the client leaves. */
function trickle(res: ServerResponse, answer: SimResponse, intervalMs: number): void {
  const { headers, body } = encode(answer);
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(answer.status, headers);
  res.flushHeaders();
  let sent = 0;
  const timer = setInterval(() => {
    if (sent >= bytes.length) {
      clearInterval(timer);
      res.end();
      return;
    }
    res.write(bytes.subarray(sent, sent + 1));
    sent += 1;
  }, intervalMs);
  res.once('close', () => clearInterval(timer));
}

/** The 'echo' fault of a simulator that has no error shape of its own. */
function echoRequest(request: SimRequest): SimResponse {
  return { status: 400, json: { error: `rejected ${request.method} ${request.rawPath} with headers ${JSON.stringify(request.headers)} and body ${request.bodyText}` } };
}

function truncate(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
  res.write('{"doc": {"elem": [{"id": {"$": "1');
  // Close mid-body: the client sees fewer bytes than promised.
  setImmediate(() => res.socket?.destroy());
}

/**
 * What every provider simulator shares: the HTTP half, its URL, start/stop,
 * and how long asynchronous work takes. Subclasses hold the provider's state
 * and answer requests in `handle`.
 */
export abstract class ProviderSimulator {
  readonly server: SimulatorServer;
  /** How long asynchronous work (a backup being made, a job, a task) takes. */
  asyncDelayMs: number;

  constructor(name: string, options: SimulatorServerOptions & { asyncDelayMs?: number }) {
    this.server = new SimulatorServer(name, (request) => this.handle(request), options, (request) => this.echo(request));
    this.asyncDelayMs = options.asyncDelayMs ?? 3_000;
  }

  /** Fills the in-memory state with sample data; the provider module calls it once, before `start`. */
  abstract seed(options: SimulatorSeedOptions): void;

  protected abstract handle(request: SimRequest): SimResponse | Promise<SimResponse>;

  /** The 'echo' fault: an error in this provider's shape quoting the credentials `request` carried. */
  protected abstract echo(request: SimRequest): SimResponse;

  get url(): string {
    return this.server.url;
  }

  start(): Promise<string> {
    return this.server.start();
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
