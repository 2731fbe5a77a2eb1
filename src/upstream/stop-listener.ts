/**
 * What the gateway's own stop signals (FlightSignal, RequestStop) take as an 'abort' listener, as
 * EventTarget does: a function, or an object whose `handleEvent` is called. AttemptSignal and a
 * coalesced read's waiter are their own listeners, so an upstream call makes no listener closure.
 */
export type StopListener = (() => void) | { handleEvent(): void };

/** Calls `listener` as EventTarget would. */
export function tellStopped(listener: StopListener): void {
  if (typeof listener === 'function') listener();
  else listener.handleEvent();
}
