import { AsyncLocalStorage } from 'node:async_hooks';
import { hasRole, type Principal } from '../gateway/principal.js';

/**
 * Whether the caller whose errors are being formatted may be shown the schema with introspection
 * off (the admin role, which gets `__schema` then): graphql-js's "Did you mean" hints are a map of
 * it. Apollo's formatError is handed no request context, so the caller rides along in async
 * context, set where the request is handed to Apollo (HTTP) or around each formatting (WebSocket).
 * Only a store saying so shows the schema: an error formatted outside any (a guard in front of
 * Apollo, a log line) keeps the hints stripped.
 */
const audience = new AsyncLocalStorage<boolean>();

/** `run`, with errors formatted within it (and in the async work it starts) for `principal`. */
export const formattingFor = <T>(principal: Principal | undefined, run: () => T): T => audience.run(principal !== undefined && hasRole(principal, 'admin'), run);

/** Whether errors formatted here go to a caller who may see the schema; false outside `formattingFor`. */
export const schemaShownHere = (): boolean => audience.getStore() === true;
