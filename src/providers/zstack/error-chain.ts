/**
 * ZStack's error and the errors under it. The API docs give every error a `cause`: "The root
 * error. The source error that caused the current error. If no root error exists, this field is
 * null". ZStack's own code wraps freely: `Platform.operr(cause, ...)` makes an OPERATION_ERROR
 * (SYS.1006) over the error a flow failed with, and reads the root back itself (`getCoreError`,
 * which follows `cause` to its end). So a job that failed because a group, a volume or an image
 * store was missing may say SYS.1006 on top and SYS.1003 below; read from the top alone, it was
 * neither a missing resource nor told in words past "An operation failed".
 */

type ErrorFields = Record<string, unknown>;

/**
 * How many errors deep a chain is read. ZStack's own chains are a few deep (a flow's error, its
 * wrapper, the API's); a hostile node's nesting stops here, not at the stack's end.
 */
export const MOST_CAUSES = 8;

const isObject = (value: unknown): value is ErrorFields => value !== null && typeof value === 'object' && !Array.isArray(value);

/** The body's `error`, then each `cause` under it (at most MOST_CAUSES); empty where the body has no error. */
export function errorChain(body: unknown): ErrorFields[] {
  const chain: ErrorFields[] = [];
  let error: unknown = isObject(body) ? body.error : undefined;
  while (isObject(error) && chain.length < MOST_CAUSES) {
    chain.push(error);
    error = error.cause;
  }
  return chain;
}

/** Whether the error, or any error under it, carries `code`. */
export const chainHasCode = (body: unknown, code: string): boolean => errorChain(body).some((error) => error.code === code);

/**
 * The root error's description where the error is a wrapper whose own says something else
 * (ZStack's OPERATION_ERROR says "An operation failed" over every cause), else null.
 */
export function rootDescription(body: unknown): string | null {
  const chain = errorChain(body);
  if (chain.length < 2) return null;
  const root = [...chain].reverse().find((error) => typeof error.description === 'string' && error.description.trim() !== '');
  const described = root?.description as string | undefined;
  return described !== undefined && described !== chain[0]?.description ? described : null;
}

/**
 * The chain's first `elaboration` with words in it, top first, else null. The API docs call it "A
 * reserved field. The default value is null"; ZStack fills it with its error elaboration (a
 * plainer account of the error, and what to do about it, matched from its elaboration files), the
 * one place a failed job may say why in words meant for a person.
 */
export function elaborationOf(body: unknown): string | null {
  const elaborated = errorChain(body).find((error) => typeof error.elaboration === 'string' && error.elaboration.trim() !== '');
  return elaborated === undefined ? null : (elaborated.elaboration as string).trim();
}
