/**
 * Whether a 404's body is Danube's own answer about something missing: esdc-ce's `{"detail": ...}`
 * naming what it did not find ("VM not found", "Backup not found", "Backup definition not found",
 * the task poll's "Task does not exist (anymore)"; the API docs and providers.md). The framework's
 * bare "Not found." is what any Django REST API answers for a path it has no route for, so it does
 * not tell a Danube at the right url from another API at a wrong one: not counted. An HTML or empty
 * 404 (null here) is a web server's.
 */
const BARE_NOT_FOUND = /^\s*not found\.?\s*$/i;

const detailOf = (body: unknown): unknown => (body !== null && typeof body === 'object' ? (body as { detail?: unknown }).detail : undefined);

export function isDanubeNotFound(body: unknown): boolean {
  const detail = detailOf(body);
  return typeof detail === 'string' && detail.trim() !== '' && !BARE_NOT_FOUND.test(detail);
}

/**
 * Whether a 404's body is the bare "Not found": esdc-ce's Http404 (`{"detail": "Not found"}`) or any
 * Django REST API's (`"Not found."`); only Danube's `es_version` header tells the two (backups-switched-off.ts).
 */
export function isBareNotFound(body: unknown): boolean {
  const detail = detailOf(body);
  return typeof detail === 'string' && BARE_NOT_FOUND.test(detail);
}

/** The instance list, whose 404 is the url's mistake whatever its body (instance-list-not-found.ts). */
export const DANUBE_INSTANCE_LIST = 'vm.list';
