import { badInput } from '../domain/errors.js';

/** A connection's page arguments, Relay's four: `first` and `after` forward, `last` and `before` backward. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** The page size when neither `first` nor `last` is given (the schema's default for `first`). */
export const DEFAULT_PAGE_SIZE = 50;

/** How many items a page holds, and whether it counts them from the window's end (`last`). */
export interface PageSize {
  size: number;
  fromEnd: boolean;
}

function checkedSize(argument: 'first' | 'last', size: number, maxPageSize: number): number {
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) throw badInput(`${argument} must be between 1 and ${maxPageSize}`);
  return size;
}

/**
 * The page size the arguments ask for. Both `first` and `last` at once is
 * refused: Relay's spec allows it ("strongly discouraged"), and a page cut
 * from both ends is a client's mix-up far more often than a wish.
 */
export function pageSizeOf(args: PageArgs, maxPageSize: number): PageSize {
  if (args.first != null && args.last != null) {
    throw badInput('first and last cannot both be given: page forward with first and after, or backward with last and before');
  }
  if (args.last != null) return { size: checkedSize('last', args.last, maxPageSize), fromEnd: true };
  return { size: checkedSize('first', args.first ?? DEFAULT_PAGE_SIZE, maxPageSize), fromEnd: false };
}

/** The page's place within its window (`from` to `to`, not included), and the PageInfo flags. */
export interface PageBounds {
  from: number;
  to: number;
  hasPreviousPage: boolean;
  hasNextPage: boolean;
}

/**
 * The page within the window the cursors leave (after `after`, before
 * `before`), with `outsideBefore` and `outsideAfter` items of the list on
 * either side of it. In the direction of paging the flag says whether the
 * window holds more than the page (Relay's rule: with `first` and `before`,
 * whether items remain before `before`); the other flag says whether the
 * list holds items beyond the page on that side, which the spec allows
 * where the server can tell cheaply, and a list held in full can.
 */
export function pageWithin(windowLength: number, outsideBefore: number, outsideAfter: number, { size, fromEnd }: PageSize): PageBounds {
  if (fromEnd) {
    const from = Math.max(0, windowLength - size);
    return { from, to: windowLength, hasPreviousPage: from > 0, hasNextPage: outsideAfter > 0 };
  }
  const to = Math.min(windowLength, size);
  return { from: 0, to, hasPreviousPage: outsideBefore > 0, hasNextPage: to < windowLength };
}
