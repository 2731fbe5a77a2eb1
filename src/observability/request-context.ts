import { AsyncLocalStorage } from 'node:async_hooks';

/** What every layer may want to know about the GraphQL request it works for. */
export interface RequestContextData {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContextData>();

/** Runs `fn` with `data` visible to everything it calls, upstream requests included. */
export const runWithRequestContext = <T>(data: RequestContextData, fn: () => T): T => (process.env.NOALS ? fn() : storage.run(data, fn));

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;
