/**
 * The page's own script (served as boot.js beside the GraphiQL bundle), plain
 * browser JavaScript in a string: tsx and tsc would each compile a function
 * differently, and the browser must get exactly this.
 *
 * It reads the options from the shell's JSON, points Monaco at the worker
 * assets, and hands GraphiQL a fetcher of its own: queries and mutations as
 * a POST with the headers editor's headers; subscriptions over graphql-ws,
 * whose only credential is `connectionParams` at connection_init (the
 * gateway authenticates the socket, not each operation), so the fetcher
 * keeps one client per Authorization value and replaces it when the value
 * changes. A refused socket (4403) shows as an UNAUTHENTICATED error, like
 * the HTTP answer would. Every failure becomes `{ errors }`: GraphiQL prints
 * a thrown error with its stack.
 *
 * GraphiQL asks for the schema once, with the headers the page opened with
 * (the placeholder key where the config has clients), and again only on its
 * re-fetch button: a person who then puts a key in the headers editor got
 * answers but no docs and no completion. So once a query with another
 * Authorization is answered, the fetcher asks whether that key may read the
 * schema and, if so, presses the re-fetch button itself.
 *
 * Its history keeps each run's headers in localStorage whatever "Persist
 * headers" says: the storage it is given drops them from history entries
 * unless the person turned persisting on.
 */
export const BOOT_SCRIPT = `(() => {
  'use strict';
  const base = document.currentScript.src;
  const workers = {
    editorWorkerService: new URL('editor.worker.js', base).href,
    json: new URL('json.worker.js', base).href,
    graphql: new URL('graphql.worker.js', base).href,
  };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_moduleId, label) => workers[label] };

  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const endpoint = new URL(options.endpoint, location.href);
  const socketUrl = new URL(endpoint);
  socketUrl.protocol = endpoint.protocol === 'https:' ? 'wss:' : 'ws:';
  delete options.endpoint; // GraphiQL warns when given both an endpoint and a fetcher

  const failure = (message, code) => ({ errors: [{ message: String(message), ...(code ? { extensions: { code } } : {}) }] });

  function headerValue(headers, name) {
    for (const key of Object.keys(headers || {})) if (key.toLowerCase() === name) return String(headers[key]);
    return undefined;
  }

  // The operation to run and its type, from the text sent, not from GraphiQL's documentAST,
  // which can lag a quick edit by a parse (a subscription went over HTTP). Strings and comments
  // are blanked, then each top-level keyword or shorthand selection set is an operation.
  function operationOf(query, operationName) {
    const source = String(query || '').replace(/\"\"\"[\\s\\S]*?\"\"\"|"(?:\\\\.|[^"\\\\\\n\\r])*"|#[^\\n\\r]*/g, ' ');
    const operations = [];
    let depth = 0;
    let parens = 0;
    let pending = null;
    let hasName = false;
    for (const token of source.match(/[{}()]|[_A-Za-z][_0-9A-Za-z]*/g) || []) {
      if (token === '(') parens++;
      else if (token === ')') parens--;
      else if (parens > 0) continue;
      else if (token === '{') {
        if (depth === 0 && pending !== 'fragment') operations.push(pending ? pending : { type: 'query', name: null });
        if (depth === 0) pending = null;
        depth++;
      } else if (token === '}') depth--;
      else if (depth === 0 && !pending && (token === 'query' || token === 'mutation' || token === 'subscription')) {
        pending = { type: token, name: null };
        hasName = false;
      } else if (depth === 0 && !pending && token === 'fragment') pending = 'fragment';
      else if (depth === 0 && pending && pending !== 'fragment' && !hasName) {
        pending.name = token;
        hasName = true;
      }
    }
    // GraphiQL's operationName comes from that same lagging parse: the previous query's name.
    const named = operationName && operations.find((operation) => operation.name === operationName);
    if (named) return { type: named.type, operationName };
    if (operations.length === 1) return { type: operations[0].type, operationName: operations[0].name || undefined };
    return { type: 'query', operationName: operationName || undefined };
  }

  async function overHttp(params, headers) {
    const sent = {};
    for (const key of Object.keys(headers || {})) sent[key] = String(headers[key]);
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/graphql-response+json, application/json', ...sent, 'content-type': 'application/json' },
        body: JSON.stringify({ query: params.query, operationName: params.operationName || undefined, variables: params.variables || undefined }),
      });
      const text = await response.text();
      try {
        return JSON.parse(text);
      } catch {
        return failure('HTTP ' + response.status + ': the answer is not JSON');
      }
    } catch (error) {
      return failure((error && error.message) || error);
    }
  }

  let socket = null;
  function clientFor(authorization) {
    if (socket && socket.authorization === authorization) return socket.client;
    if (socket) socket.client.dispose();
    const client = graphqlWs.createClient({
      url: socketUrl.href,
      lazy: true,
      // A refusal is final: retrying the same key only delays the message.
      retryAttempts: 0,
      connectionParams: authorization === undefined ? {} : { authorization },
    });
    socket = { authorization, client };
    return client;
  }

  function socketFailure(error) {
    if (Array.isArray(error)) return { errors: error };
    if (error && typeof error.code === 'number') {
      const code = error.code === 4403 ? 'UNAUTHENTICATED' : error.code === 4429 ? 'QUERY_TOO_COMPLEX' : undefined;
      return failure(error.reason || 'the WebSocket closed (code ' + error.code + ')', code);
    }
    if (error && error.type === 'error') return failure('the WebSocket could not connect to ' + socketUrl.href);
    return failure((error && error.message) || error);
  }

  async function* overWebSocket(params, authorization) {
    const results = clientFor(authorization).iterate({ query: params.query, operationName: params.operationName || undefined, variables: params.variables || undefined });
    try {
      for await (const result of results) yield result;
    } catch (error) {
      yield socketFailure(error);
    }
  }

  const INTROSPECTION = 'IntrospectionQuery'; // GraphiQL's introspectionQueryName
  const schema = { authorization: undefined, read: true };
  const hasSchema = (result) => Boolean(result && result.data && result.data.__schema);
  const refused = (result) => Boolean(result && Array.isArray(result.errors) && result.errors.some((error) => error && error.extensions && error.extensions.code === 'UNAUTHENTICATED'));

  async function schemaFetch(params, headers) {
    const result = await overHttp(params, headers);
    schema.authorization = headerValue(headers, 'authorization');
    schema.read = hasSchema(result);
    return result;
  }

  async function answered(params, headers) {
    const result = await overHttp(params, headers);
    const authorization = headerValue(headers, 'authorization');
    if (!schema.read && authorization !== schema.authorization && !refused(result)) {
      schema.authorization = authorization; // asked once per key
      const probe = await overHttp({ query: '{ __schema { queryType { name } } }' }, headers);
      const refetch = document.querySelector('button[aria-label^="Re-fetch GraphQL schema"]');
      if (hasSchema(probe) && refetch) refetch.click();
    }
    return result;
  }

  function fetcher(params, opts) {
    const headers = (opts && opts.headers) || {};
    if (params.operationName === INTROSPECTION) return schemaFetch(params, headers);
    const { type, operationName } = operationOf(params.query, params.operationName);
    const request = { ...params, operationName };
    return type === 'subscription' ? overWebSocket(request, headerValue(headers, 'authorization')) : answered(request, headers);
  }

  const HISTORY = ['graphiql:queries', 'graphiql:favorites'];
  function withoutHeaders(value) {
    try {
      const stored = JSON.parse(value);
      for (const list of Object.values(stored)) if (Array.isArray(list)) for (const item of list) if (item && typeof item === 'object') delete item.headers;
      return JSON.stringify(stored);
    } catch {
      return value;
    }
  }
  const storage = {
    getItem: (key) => localStorage.getItem(key),
    setItem: (key, value) =>
      localStorage.setItem(key, HISTORY.includes(key) && localStorage.getItem('graphiql:shouldPersistHeaders') !== 'true' ? withoutHeaders(value) : value),
    removeItem: (key) => localStorage.removeItem(key),
    get length() {
      return Object.keys(localStorage).filter((key) => key.startsWith('graphiql:')).length;
    },
    clear() {
      for (const key of Object.keys(localStorage)) if (key.startsWith('graphiql:')) localStorage.removeItem(key);
    },
  };

  document.addEventListener('DOMContentLoaded', () => YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), { ...options, fetcher, storage }));
})();
`;
