import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A large answer is scrubbed a piece per turn, cut just after a separator (scrub-pieces.ts). The
 * separators are joiners (`,`, `:`, `|`, ...), and the reading of escaped joiners joins a run of
 * them with an escape of one (`-,-,\u002d`, `\u002d,,,`, `\,`) into one joiner between two pieces
 * of a secret. Cut inside such a run, each piece held only part of it: the piece ending in
 * `\u002d,` read no letter after it, the piece starting `,-\u002d` no letter before, and the
 * secret's 7-character pieces either side went out, though the whole answer scrubbed redacts them.
 * Every cut across each run is tried (every size of piece from 1 up).
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

const backslashes = (count: number): string => '\\'.repeat(count);
const cutEverySeven = (between: string): string => `${SECRET.slice(0, 7)}${between}${SECRET.slice(7, 14)}${between}${SECRET.slice(14)}`;
const sevens = Array.from({ length: SECRET.length - 6 }, (_, at) => SECRET.slice(at, at + 7));

const RUNS = [
  '-,-,-,-,\\u002d',
  ',,,,,,,,\\u002d',
  '\\u002d,,,,,,,,',
  '\\u002d,',
  ',\\u002d',
  '\\,',
  '\\u002d, ,:',
  '- , - , %2D',
  ',%252525252D,',
  `,${backslashes(16)}u002d,`,
  `${backslashes(17)}u002d::`,
  '&amp;amp;amp;amp;lt;,|',
  '||&lt;',
  '-,--\\u002d',
  '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\\u007e',
  '=\\u003d=',
  '%2C!',
];

describe('a large answer cut inside a run of joiners the reading joins', () => {
  it.each(RUNS)('scrubs a secret cut by %j the same wherever the pieces end', async (between) => {
    const text = `{"note":"key ${cutEverySeven(between)} end"}`;
    const whole = secrets.scrub(text);
    for (const seven of sevens) expect(whole).not.toContain(seven);
    const differing: number[] = [];
    for (let charsPerTurn = 1; charsPerTurn < text.length; charsPerTurn++) {
      const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn });
      if (scrubbed !== whole || sevens.some((seven) => scrubbed.includes(seven))) differing.push(charsPerTurn);
    }
    expect(differing).toEqual([]);
  });

  it('scrubs such runs in a long answer the same in pieces of any size', async () => {
    const rows = Array.from({ length: 60 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    RUNS.forEach((between, index) => (rows[index * 3 + 1] = `{"id":${index},"note":"${cutEverySeven(between)}"}`));
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    for (const seven of sevens) expect(whole).not.toContain(seven);
    const differing: number[] = [];
    for (let charsPerTurn = 1; charsPerTurn < 400; charsPerTurn++) {
      if ((await secrets.scrubAnswer(text, { charsPerTurn })) !== whole) differing.push(charsPerTurn);
    }
    expect(differing).toEqual([]);
  });

  it('scrubs seeded texts of secret pieces, joiners, escapes and spaces the same in pieces of every size', async () => {
    const parts = [
      ...[SECRET.slice(0, 7), SECRET.slice(7, 14), SECRET.slice(14)],
      ...[',', '-', ':', '|', '~', '(', ')', '=', '!', '[', ']', '<', '>', '{', '}', ';', '"', "'", 'x', '9', ' ', '  '],
      ...['\\u002d', '%2D', '%252D', '&lt;', '&amp;lt;', '\\\\u002d', '\\,', '\\-', '\\t', '\\n', '%44', '&quot;', '\\u007e', '&#45;', '\\x2d'],
    ];
    let seed = 1;
    const next = (below: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return Math.floor((seed / 0x80000000) * below);
    };
    const differing: string[] = [];
    for (let trial = 0; trial < 600; trial++) {
      const text = Array.from({ length: 5 + next(25) }, () => parts[next(parts.length)]).join('');
      const whole = secrets.scrub(text);
      for (let charsPerTurn = 1; charsPerTurn < text.length; charsPerTurn++) {
        if ((await secrets.scrubAnswer(text, { charsPerTurn })) !== whole) {
          differing.push(`${JSON.stringify(text)} in pieces of ${charsPerTurn}`);
          break;
        }
      }
    }
    expect(differing).toEqual([]);
  });
});
