/**
 * Follows one operation over the `operationUpdated` subscription (graphql-ws on
 * /graphql), printing each status as a JSON line until it ends:
 *
 *   npx tsx examples/follow-operation/follow.ts <Operation id> [http://127.0.0.1:4000/graphql]
 *
 * A shell has no WebSocket client of its own, and the subscription is not served over
 * HTTP. The key, where the gateway asks for one, comes from BACKUP_GRAPH_KEY and goes in
 * `connectionParams`: the gateway reads no header on the WebSocket upgrade.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const SUBSCRIPTION = 'subscription($id: ID!) { operationUpdated(id: $id) { status failure { code message } finishedAt backup { id name status } } }';

const [operationId, httpUrl = process.env.BACKUP_GRAPH_URL ?? 'http://127.0.0.1:4000/graphql'] = process.argv.slice(2);
if (!operationId) {
  process.stderr.write('usage: follow.ts <Operation id> [gateway URL]: the id is the one a mutation answered (operation { id })\n');
  process.exit(2);
}

const key = process.env.BACKUP_GRAPH_KEY;
const client = createClient({
  url: httpUrl.replace(/^http/, 'ws'),
  webSocketImpl: WebSocket,
  connectionParams: key ? { authorization: `Bearer ${key}` } : {},
  retryAttempts: 0,
});

let failed = false;
client.subscribe(
  { query: SUBSCRIPTION, variables: { id: operationId } },
  {
    next: (result) => {
      if (result.errors?.length) {
        failed = true;
        for (const error of result.errors) process.stderr.write(`${String(error.extensions?.code ?? 'ERROR')}: ${error.message}\n`);
        return;
      }
      process.stdout.write(`${JSON.stringify(result.data?.operationUpdated)}\n`);
    },
    error: (error) => {
      failed = true;
      void whyItEnded(error)
        .then((why) => process.stderr.write(`${why}\n`))
        .then(() => client.dispose())
        .then(() => process.exit(1));
    },
    complete: () => void Promise.resolve(client.dispose()).then(() => process.exit(failed ? 1 : 0)),
  },
);

/** graphql-ws hands over a CloseEvent (a refused key: 4403), a socket's error event (nobody listening), or GraphQL errors. */
async function whyItEnded(error: unknown): Promise<string> {
  if (Array.isArray(error)) return error.map((item: { message?: unknown }) => String(item.message)).join('\n');
  if (error instanceof Error) return error.message;
  const { code, reason } = error as { code?: unknown; reason?: unknown };
  // The gateway's words are about the connection's key; this script sends it from BACKUP_GRAPH_KEY.
  if (code === 4403) return `refused: ${String(reason)} (${keyHint(String(reason))})`;
  if (typeof code === 'number') return `connection closed: ${code} ${String(reason ?? '')}`;
  return whatAnswersOverHttp();
}

/** What to do about BACKUP_GRAPH_KEY, after the gateway's words about the connection's key. */
function keyHint(reason: string): string {
  // A key left exported from a config's gateway, sent to the demo: another key from "its config" was no way out.
  if (key && reason.includes('has no client keys')) return 'unset BACKUP_GRAPH_KEY: this gateway takes no key';
  return key ? 'BACKUP_GRAPH_KEY is not a key this gateway knows: use a client key from its config' : 'set BACKUP_GRAPH_KEY to a client key';
}

/**
 * The socket's error event says only that no WebSocket opened. Something may still answer there
 * (the start line's adminUrl, a simulator's port, a path that is not /graphql), so its HTTP
 * answer is asked for: "is the gateway running there?" sent a newcomer looking for a stopped process.
 */
async function whatAnswersOverHttp(): Promise<string> {
  let answer: Response;
  try {
    answer = await fetch(httpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }), signal: AbortSignal.timeout(5000) });
  } catch {
    return `could not connect to ${httpUrl}: is the gateway running there?`;
  }
  const text = await answer.text().catch(() => '');
  const message = firstErrorMessage(text);
  return `${httpUrl} opened no WebSocket; over HTTP it answers ${answer.status}${message === null ? '' : `: ${message}`}`;
}

function firstErrorMessage(text: string): string | null {
  try {
    const message = (JSON.parse(text) as { errors?: Array<{ message?: unknown }> }).errors?.[0]?.message;
    return typeof message === 'string' ? message.slice(0, 300) : null;
  } catch {
    return null;
  }
}
