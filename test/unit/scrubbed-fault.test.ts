import { describe, expect, it } from 'vitest';
import { scrubbedFault } from '../../src/server/process-faults.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * What the last-resort handlers log of a fault (src/server/process-faults.ts): any value may be a
 * rejection's reason, and a throw while reading it, from the handler of an uncaught exception,
 * would end the process at once (exit 7).
 */
const secrets = new SecretSet();
secrets.add('correct-horse-battery');
const scrub = (text: string) => secrets.scrub(text);

describe('a fault as the log shows it', () => {
  it('an Error: message and stack scrubbed, its name beside', () => {
    const fault = scrubbedFault(new TypeError('login with correct-horse-battery refused'), scrub);
    expect(fault).toMatchObject({ message: 'login with [redacted] refused', errorName: 'TypeError' });
    expect(fault.stack).toMatch(/^TypeError: login with \[redacted\] refused\n\s+at /);
  });

  it("the stack's copy of the message is cleaned as the message is: no terminal sequence, bidi override or lone surrogate reaches the log", () => {
    // U+001B and U+009B start a terminal's control sequence, U+202E reverses what follows; the stack's first line repeats the message.
    const fault = scrubbedFault(new Error('refused \u001b[2J\u009b31m by \u202ecorrect-horse-battery \ud800'), scrub);
    expect(fault.message).toBe('refused \ufffd[2J\ufffd31m by \ufffd[redacted] \ufffd');
    expect(fault.stack).toMatch(/^Error: refused \ufffd\[2J\ufffd31m by \ufffd\[redacted\] \ufffd\n\s+at /);
  });

  it('a value that is no Error, scrubbed as its inspection reads', () => {
    expect(scrubbedFault({ password: 'correct-horse-battery', code: 7 }, scrub).message).toBe("{ password: '[redacted]', code: 7 }");
    expect(scrubbedFault('plain correct-horse-battery', scrub)).toEqual({ message: 'plain [redacted]' });
  });

  it('a reason whose reading throws is said without its text, never thrown', () => {
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    expect(scrubbedFault(hostile, scrub)).toEqual({ message: 'its text could not be read or scrubbed, so it is not shown' });
  });

  it('a long message is cut after the scrub, never halving a secret into view', () => {
    const message = `${'a '.repeat(495)}correct-horse-battery ${'b'.repeat(20_000)}`;
    const shown = scrubbedFault(new Error(message), scrub).message;
    // Cut first, the shown 1,000 characters would end in "correct...", a piece too short to be found.
    expect(shown).not.toContain('correct');
    expect(shown.length).toBeLessThanOrEqual(1_000);
  });
});

describe('a reason of very many keys', () => {
  const manyKeys = (count: number): Record<string, number> => {
    const reason: Record<string, number> = {};
    for (let index = 0; index < count; index += 1) reason[`k${index}`] = index;
    return reason;
  };

  it('is read only as far as is shown: its first keys, then a word that more were left out', () => {
    const message = scrubbedFault(manyKeys(100_000), scrub).message;
    expect(message.startsWith('{ k0: 0, k1: 1, k2: 2,')).toBe(true);
    expect(message).toContain('k49: 49');
    expect(message).not.toContain('k50:');
    expect(message).toContain('more keys not shown');
    expect(message.length).toBeLessThanOrEqual(1_000);
  });

  it('nested, and beside a secret: each level bounded, the secret still scrubbed', () => {
    const message = scrubbedFault({ password: 'correct-horse-battery', inner: manyKeys(100_000), list: Array.from({ length: 100_000 }, (_, index) => index) }, scrub).message;
    expect(message).toContain("password: '[redacted]'");
    expect(message).toContain('inner: { k0: 0,');
    expect(message).toContain('more keys not shown');
    expect(message).not.toContain('correct-horse-battery');
  });

  it('a getter is not called, and deeper levels are named, not read', () => {
    let called = false;
    const reason = {
      get secret() {
        called = true;
        return 'correct-horse-battery';
      },
      a: { b: { c: { d: 1 } } },
    };
    expect(scrubbedFault(reason, scrub).message).toBe('{ secret: [Getter], a: { b: { c: [Object] } } }');
    expect(called).toBe(false);
  });

  it('an Error inside is shown as inspect shows one, its message scrubbed', () => {
    expect(scrubbedFault({ code: 7, cause: new Error('inner correct-horse-battery') }, scrub).message).toMatch(/^\{ code: 7, cause: Error: inner \[redacted\] at /);
  });
});
