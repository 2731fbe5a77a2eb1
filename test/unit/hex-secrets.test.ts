import { beforeAll, describe, expect, it } from 'vitest';
import { hexForms } from '../../src/upstream/hex-secrets.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

/** A password holding a letter past ASCII: its hex is of its UTF-8 bytes (é is c3 a9). */
const PASSWORD = 'Gr\u00fc\u00dfe-Dnb7Kq8R';
const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe('hexForms', () => {
  it('is the UTF-8 bytes in hex, small letters and capitals, once each', () => {
    expect(hexForms('ab/é')).toEqual(['61622fc3a9', '61622FC3A9']);
    expect(hexForms('123456')).toEqual(['313233343536']);
  });
});

describe('SecretSet: a secret quoted back in hex', () => {
  // Added before the tests, not while they are collected: a hexForms that throws then fails
  // each test here (a mutation run counts a file that fails to load as no failing test).
  const secrets = new SecretSet();
  beforeAll(() => secrets.add(PASSWORD));

  const answers: Record<string, string> = {
    'in small letters': `{"error":"bad credential ${hex(PASSWORD)}"}`,
    'in capitals': `{"error":"bad credential ${hex(PASSWORD).toUpperCase()}"}`,
    'inside the hex of the request line it was sent in': `{"dump":"${hex(`POST /login password=${PASSWORD}&x=1`)}"}`,
    'in capitals inside the hex of a longer text': `{"dump":"${hex(`pw:${PASSWORD}`).toUpperCase()}"}`,
    'with its digits JSON-escaped': JSON.stringify({ error: `bad ${hex(PASSWORD)}` }).replace(/[0-9]/g, (digit) => `\\u003${digit}`),
  };

  for (const [how, text] of Object.entries(answers)) {
    it(`redacts it ${how}`, () => {
      const scrubbed = secrets.scrub(text);
      expect(scrubbed).toContain(REDACTED);
      expect(scrubbed.toLowerCase()).not.toContain(hex(PASSWORD).slice(0, 16));
      expect(scrubbed.toLowerCase()).not.toContain(hex(PASSWORD).slice(-16));
      expect(JSON.parse(scrubbed)).toBeTruthy();
    });
  }

  it('leaves hex that is no secret\'s alone', () => {
    const text = `{"id":"${hex('Gr\u00fc\u00dfe-Dnb7Kq8S')}","sum":"${hex(PASSWORD).slice(0, 20)}"}`;
    expect(secrets.scrub(text)).toBe(text);
  });
});
