import { vi } from 'vitest';

/** What JSON.parse was handed while some work ran, counted per turn of the event loop. */
export interface ParseWork {
  /** Objects and arrays (`{` and `[`, strings' included) in all the text JSON.parse was handed. */
  containers: number;
  /** The most of them handed to JSON.parse between two turns of the loop: what one turn held it for. */
  mostInOneTurn: number;
  /** Turns of the event loop that went by. */
  turns: number;
}

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/** `{` and `[` in `text`: an upper bound on the containers JSON.parse builds from it, whose count sets its time. */
function containersIn(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === OPEN_BRACE || code === OPEN_BRACKET) count++;
  }
  return count;
}

/**
 * Counts, rather than times, how long a turn of the event loop was held by parsing while `work`
 * runs in this process: JSON.parse is watched (every call still goes to it) and a setImmediate,
 * queued again each time it runs, marks each turn. Timing the loop against one JSON.parse on the
 * same machine failed or passed with the machine's load; a count does not.
 */
export async function parseWorkWhile<T>(work: () => Promise<T>): Promise<{ result: T; parsed: ParseWork }> {
  const parse = JSON.parse;
  const parsed: ParseWork = { containers: 0, mostInOneTurn: 0, turns: 0 };
  let thisTurn = 0;
  let watching = true;
  const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]): unknown => {
    const containers = containersIn(String(text));
    parsed.containers += containers;
    thisTurn += containers;
    return parse(text, reviver) as unknown;
  });
  const turn = (): void => {
    parsed.mostInOneTurn = Math.max(parsed.mostInOneTurn, thisTurn);
    thisTurn = 0;
    parsed.turns++;
    if (watching) setImmediate(turn);
  };
  setImmediate(turn);
  try {
    return { result: await work(), parsed };
  } finally {
    watching = false;
    spy.mockRestore();
    parsed.mostInOneTurn = Math.max(parsed.mostInOneTurn, thisTurn);
  }
}
