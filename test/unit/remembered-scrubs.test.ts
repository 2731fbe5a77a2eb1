import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REMEMBERED_SCRUB_CHARS, RememberedScrubs } from '../../src/upstream/remembered-scrubs.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

const KEY = 'Dnb7Kq8Rw2Zx4LmT';
const TOKEN = '5a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** A list answer as a poll of an unchanged list gets it, with `note` in one row. */
const list = (note: string, taskId = 'fixed'): string =>
  JSON.stringify({ status: 'SUCCESS', result: Array.from({ length: 40 }, (_, index) => ({ hostname: `vm-${index}.example.com`, note: index === 3 ? note : 'plain' })), task_id: taskId });

/** What a RememberedScrubs holds: its texts' and scrubs' characters, and its own count. */
function held(memory: RememberedScrubs): { texts: number; chars: number; counted: number } {
  const inside = memory as unknown as { scrubbed: Map<string, { text: string; out: string }>; heldChars: number };
  let chars = 0;
  for (const { text, out } of inside.scrubbed.values()) chars += text.length + (out === text ? 0 : out.length);
  return { texts: inside.scrubbed.size, chars, counted: inside.heldChars };
}

describe('SecretSet: a text asked about again is scrubbed as the first time (guards)', () => {
  it('redacts a secret in an answer asked five times, each time alike', () => {
    const secrets = new SecretSet();
    secrets.add(KEY);
    const answer = list(`key ${KEY} and half ${KEY.slice(2, 12)}`);
    const first = secrets.scrub(answer);
    expect(first).not.toContain(KEY.slice(2, 12));
    expect(first).toContain(REDACTED);
    for (let read = 0; read < 4; read++) expect(secrets.scrub(answer)).toBe(first);
  });

  it('redacts a session registered after the answer holding it was asked about, and remembered, unredacted', () => {
    const secrets = new SecretSet();
    secrets.add(KEY);
    const answer = list(`session ${TOKEN}`);
    for (let read = 0; read < 3; read++) expect(secrets.scrub(answer)).toBe(answer);
    secrets.addRuntime(TOKEN);
    expect(secrets.scrub(answer)).not.toContain(TOKEN);
    expect(secrets.scrub(answer)).not.toContain(TOKEN.slice(4, 20));
  });

  it("scrubs a login's answer of the configured secrets only, however often the full scrub remembered it", () => {
    const secrets = new SecretSet();
    secrets.add(KEY);
    secrets.addRuntime(TOKEN);
    const answer = list(`session ${TOKEN}`);
    for (let read = 0; read < 3; read++) expect(secrets.scrub(answer)).not.toContain(TOKEN);
    expect(secrets.scrubConfigured(answer)).toBe(answer);
  });
});

describe('RememberedScrubs: what it remembers is what may be asked again', () => {
  it('scrubs a text twice, then answers it from memory', () => {
    const memory = new RememberedScrubs();
    let scrubs = 0;
    const scrub = (text: string): string => (scrubs++, text.replaceAll(KEY, REDACTED));
    const answer = list(`key ${KEY}`);
    for (let read = 0; read < 5; read++) expect(memory.scrub(answer, scrub)).toBe(answer.replaceAll(KEY, REDACTED));
    expect(scrubs).toBe(2);
    expect(held(memory)).toEqual({ texts: 1, chars: answer.length * 2 - KEY.length + REDACTED.length, counted: answer.length * 2 - KEY.length + REDACTED.length });
  });

  it('holds none of 2,000 answers that differ only in their task_id', () => {
    const memory = new RememberedScrubs();
    for (let read = 0; read < 2_000; read++) memory.scrub(list('plain', randomUUID()), (text) => text);
    expect(held(memory)).toEqual({ texts: 0, chars: 0, counted: 0 });
  });

  it('stays within its budget when answers are asked twice each, and forgets the least recently asked first', () => {
    const memory = new RememberedScrubs();
    let scrubs = 0;
    const scrub = (text: string): string => (scrubs++, text);
    const first = list('plain', 'first');
    memory.scrub(first, scrub);
    memory.scrub(first, scrub);
    for (let read = 0; read < 400; read++) {
      const answer = list(`row ${read}`, `1e1-${read}`).repeat(10);
      memory.scrub(answer, scrub);
      memory.scrub(answer, scrub);
    }
    const now = held(memory);
    expect(now.chars).toBe(now.counted);
    expect(now.chars).toBeLessThanOrEqual(REMEMBERED_SCRUB_CHARS.all);
    expect(now.chars).toBeGreaterThan(REMEMBERED_SCRUB_CHARS.all * 0.9);
    const before = scrubs;
    memory.scrub(first, scrub);
    expect(scrubs).toBe(before + 1);
  });

  it('scrubs texts shorter than its least or longer than its most every time', () => {
    const memory = new RememberedScrubs();
    let scrubs = 0;
    const scrub = (text: string): string => (scrubs++, text);
    for (const text of ['x'.repeat(REMEMBERED_SCRUB_CHARS.least - 1), 'y'.repeat(REMEMBERED_SCRUB_CHARS.most + 1)]) for (let read = 0; read < 3; read++) memory.scrub(text, scrub);
    expect(scrubs).toBe(6);
    expect(held(memory).texts).toBe(0);
  });
});
