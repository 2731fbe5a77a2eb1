/**
 * A store call's answer, or undefined when it fails or has not answered
 * within `waitMs`. For state that improves an answer but must never hold it
 * up: a Redis that is down or slow would otherwise stall every request that
 * touches it (ioredis queues commands while it reconnects).
 */
export async function withinMs<T>(call: Promise<T>, waitMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, waitMs, undefined);
  });
  try {
    return await Promise.race([call.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A store call that did not answer within its wait: handled as a failed one. */
export class StoreTimeout extends Error {
  constructor(waitMs: number) {
    super(`the shared store did not answer within ${waitMs} ms`);
    this.name = 'StoreTimeout';
  }
}

/** A store call's answer, its failure, or StoreTimeout once `waitMs` has passed without either. */
export async function answerWithinMs<T>(call: Promise<T>, waitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StoreTimeout(waitMs)), waitMs);
  });
  try {
    return await Promise.race([call, late]);
  } finally {
    clearTimeout(timer);
  }
}
