/**
 * A Danube API path as esdc-ce routes it: every url pattern ends in "/" (api/vm/urls.py
 * `^(?P<hostname_or_uuid>...)/backup/$`, api/task/urls.py, api/accounts/urls.py `^login/$`), and
 * its `es` client adds the slash to every path (bin/es). Without it, Django's CommonMiddleware
 * (APPEND_SLASH, on by default; esdc-ce runs Django 1.8 with DEBUG off) answers 301 to the slashed
 * path, which the gateway never follows: every call to a real panel failed "redirected the request".
 *
 * The API docs disagree with themselves: their headings and `es` examples write the paths without
 * the slash (`/vm/(hostname_or_uuid)/backup`, `es get /vm/example.cust.erigones.com/backup`), while
 * the answers they show echo the url with it (`"url": ".../api/vm/example.cust.erigones.com/backup/"`),
 * as esdc-ce's routes have it. Sending the slash works with both: the headings name the same
 * routes written short (the `es` client they show adds the slash itself), and the slashed url is
 * the one the panel itself answered at; the bare path is answered by a redirect alone. A 301 that
 * still reaches the gateway (an account url whose own path the panel redirects) stays the upstream
 * client's "redirected the request" refusal (test/providers/danube-trailing-slash.test.ts).
 */
export const slashedPath = (path: string): string => (path.endsWith('/') ? path : `${path}/`);
