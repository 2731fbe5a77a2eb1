import type { SimRequest, SimResponse } from '../../simulator/server.js';

/** esdc-ce's url patterns' names: `[A-Za-z0-9\._-]+` for hostnames, uuids and backup or definition names (api/vm/urls.py). */
const NAME = /^[A-Za-z0-9._-]+$/;
/** A task id's (api/task/urls.py). */
const TASK_ID = /^[A-Za-z0-9-]+$/;

/**
 * Whether the path (under /api, decoded) is one of the routes the Danube simulator serves, matched as
 * esdc-ce's url patterns match them: the login, the task list, a task's status and cancel, the VM
 * list, the definitions of all VMs, and a VM's backups and definitions, each name by its pattern.
 * esdc-ce has more (a VM's details, its status, nodes, images): the gateway calls none, and the
 * simulator answers them as paths with no route.
 */
export function isSimulatedRoute(segments: readonly string[]): boolean {
  const [first, second, third, fourth, fifth] = segments;
  const length = segments.length;
  if (first === 'accounts') return length === 2 && second === 'login';
  if (first === 'task') return length === 1 || (length === 3 && TASK_ID.test(second ?? '') && (third === 'status' || third === 'cancel'));
  if (first !== 'vm') return false;
  if (length === 1) return true;
  if (second === 'define' && third === 'backup' && length === 3) return true;
  if (!NAME.test(second ?? '')) return false;
  if (third === 'backup') return length === 3 || (length === 4 && NAME.test(fourth ?? ''));
  if (third === 'define' && fourth === 'backup') return length === 4 || (length === 5 && NAME.test(fifth ?? ''));
  return false;
}

/**
 * What esdc-ce answers a path no url pattern matches: Django's `handler404`, its core/views.py
 * `page_not_found`, `HttpResponseNotFound('Resource not found', content_type='application/json')`
 * under /api/: the two words as they are (no JSON, though named so), from no API view, so without
 * the `es_version`, `es_username` and `es_dc` headers, and before any view asks who is calling.
 */
export const resourceNotFound = (): SimResponse => ({ status: 404, text: 'Resource not found', headers: { 'content-type': 'application/json' } });

/**
 * Django 1.8's CommonMiddleware for a routed path without its trailing "/" (esdc-ce leaves
 * APPEND_SLASH at its default, on, with DEBUG off): `HttpResponsePermanentRedirect` to the path with
 * the slash and the same query, whatever the method, an empty HTML body, no API headers. Its
 * Location is absolute, the request's own host (`"%s://%s%s" % (request.scheme, host, path)`). The
 * path is `urlquote(request.path + '/')`: the decoded path quoted again (a `%77eb01` comes back
 * `web01`); the query is `QUERY_STRING` appended as the request line wrote it, not parsed and written
 * again (a `+`, a `%20`, `a=b=c` or `%7e` come back as sent; parsed, `%20` came back `+`, `%7e` `~`).
 * On Python 2 Django drops a query that is not ASCII (#15152); the gateway sends none.
 */
export function appendSlashRedirect(request: SimRequest): SimResponse {
  const location = `http://${String(request.headers.host)}${djangoUrlquote(decodedPath(request.rawPath))}/${request.rawQuery ? `?${request.rawQuery}` : ''}`;
  return { status: 301, text: '', headers: { location, 'content-type': 'text/html; charset=utf-8' } };
}

/** `request.path`: the path decoded (left as it is where it does not decode). */
function decodedPath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

/** Django's `urlquote(path)`: Python 2's `urllib.quote` with `/` safe, so only letters, digits, `_.-` and `/` stay as they are. */
function djangoUrlquote(path: string): string {
  let quoted = '';
  for (const byte of Buffer.from(path, 'utf8')) {
    const char = String.fromCharCode(byte);
    quoted += /[A-Za-z0-9_.\-/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return quoted;
}
