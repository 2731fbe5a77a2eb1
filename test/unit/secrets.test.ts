import { describe, expect, it } from 'vitest';
import { clipProviderCode, providerError } from '../../src/domain/errors.js';
import { MAX_RAW_DEPTH, NESTED_TOO_DEEP, hiddenFields, publicRaw } from '../../src/providers/raw.js';
import { REDACTED, SecretSet, encodedForms, readForms, sha512Hex } from '../../src/upstream/secrets.js';

/** A password with every character that changes under an encoding. */
const PASSWORD = 'p@ss/w0rd+x y"z%é';

describe('SecretSet.scrub', () => {
  const secrets = new SecretSet();
  secrets.add(PASSWORD);
  secrets.add(`ops@example.com:${PASSWORD}`, { base64: true });

  const pair = `ops@example.com:${PASSWORD}`;
  /** Answer texts quoting the secret the ways providers do. */
  const answers: Record<string, string> = {
    'as sent, in a text body': `refused ${PASSWORD} here`,
    'URL-encoded': `{"error":"refused auth=${encodeURIComponent(PASSWORD)} here"}`,
    'form-encoded': `{"error":"refused ${new URLSearchParams({ authinfo: pair }).toString()} here"}`,
    'JSON-escaped': JSON.stringify({ error: `refused ${PASSWORD} here` }),
    'JSON-escaped with \\/': JSON.stringify({ error: `refused ${PASSWORD} here` }).replaceAll('/', '\\/'),
    'in a Basic header': JSON.stringify({ error: `refused Basic ${Buffer.from(pair).toString('base64')} here` }),
    'base64url': JSON.stringify({ error: `refused ${Buffer.from(pair).toString('base64url')} here` }),
  };

  for (const [how, text] of Object.entries(answers)) {
    it(`redacts the secret ${how}`, () => {
      const scrubbed = secrets.scrub(text);
      expect(scrubbed).toContain(REDACTED);
      expect(scrubbed).not.toContain('w0rd');
      expect(scrubbed).not.toContain(Buffer.from(pair).toString('base64').slice(0, 12));
      // Still JSON where it was, still the provider's words around the hole.
      const message = text.startsWith('{') ? (JSON.parse(scrubbed) as { error: string }).error : scrubbed;
      expect(message).toMatch(/^refused .*\[redacted\].* here$/);
    });
  }

  it('replaces a pair whole, not leaving the user name behind', () => {
    expect(secrets.scrub(`authinfo=ops@example.com:${PASSWORD}`)).toBe(`authinfo=${REDACTED}`);
  });

  it('leaves text without secrets as it is (the same string)', () => {
    const text = '{"doc":{"elem":[{"name":{"$":"web-1"}}]}}';
    expect(secrets.scrub(text)).toBe(text);
  });

  it('ignores secrets too short to replace without mangling ordinary text', () => {
    const short = new SecretSet();
    short.add('abc');
    expect(short.size).toBe(0);
    expect(short.scrub('abc abc')).toBe('abc abc');
  });

  it('keeps the newest run-time tokens; a login\'s answer is read without them', () => {
    const set = new SecretSet();
    // Tokens that share no 8 characters: a piece of a held one is redacted wherever it stands (secret-pieces.ts).
    const tokens = Array.from({ length: 6 }, (_, index) => `token-${index}-${String(index).repeat(16)}`);
    for (const token of tokens) set.addRuntime(token);
    expect(set.scrub(tokens.join(' '))).toBe([tokens[0], tokens[1], REDACTED, REDACTED, REDACTED, REDACTED].join(' '));
    expect(set.scrubConfigured(tokens[5]!)).toBe(tokens[5]);
    expect(set.scrub(tokens[5]!)).toBe(REDACTED);
  });

  it('knows the hex SHA-512 ZStack logs in with', () => {
    const set = new SecretSet();
    set.add(sha512Hex('secret-password'));
    expect(set.scrub(`code ${sha512Hex('secret-password')}`)).toBe(`code ${REDACTED}`);
  });

  it('finds a secret quoted all in capitals or all in small letters (hex: Java and .NET write it upper-cased), and a long one in mixed case', () => {
    const set = new SecretSet();
    const hash = sha512Hex('secret-password');
    set.add(hash);
    expect(set.scrub(`code ${hash.toUpperCase()}`)).toBe(`code ${REDACTED}`);
    const session = '3F2504E0-4F89-11D3-9A0C-0305E82C3301';
    set.addRuntime(session);
    expect(set.scrub(`session ${session.toLowerCase()} and ${session}`)).toBe(`session ${REDACTED} and ${REDACTED}`);
    // An API key an error code or log line upper-cases is the key up to case: a few guesses away.
    set.add('Abcdeg-Secret-Word');
    expect(set.scrub('ABCDEG-SECRET-WORD abcdeg-secret-word Abcdeg-Secret-Word aBCDEG-sECRET-wORD')).toBe(`${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('leaves a short secret alone in mixed case (a word title-cased), and finds it full-width as written, in capitals or small letters', () => {
    const set = new SecretSet();
    set.add('backup');
    expect(set.scrub('Backup BACKUP backup bAcKuP')).toBe(`Backup ${REDACTED} ${REDACTED} bAcKuP`);
    expect(set.scrub('ｂａｃｋｕｐ ＢＡＣＫＵＰ Ｂａｃｋｕｐ')).toBe(`${REDACTED} ${REDACTED} Ｂａｃｋｕｐ`);
  });

  it('finds a full-width secret behind escapes that hold no letter of it: JSON \\u, \\u{...}, Python \\xNN bytes, percent-encoded UTF-8', () => {
    const set = new SecretSet();
    set.add('Secret-Key-42');
    const wide = 'ｓｅｃｒｅｔ－ｋｅｙ－４２';
    const forms = [
      [...wide].map((char) => `\\u${char.charCodeAt(0).toString(16)}`).join(''),
      [...wide].map((char) => `\\u{${char.charCodeAt(0).toString(16)}}`).join(''),
      [...Buffer.from(wide)].map((byte) => `\\x${byte.toString(16)}`).join(''),
      encodeURIComponent(wide),
    ];
    for (const form of forms) expect(set.scrub(`{"detail":"key ${form} refused"}`)).toBe(`{"detail":"key ${REDACTED} refused"}`);
  });

  it('finds a secret in letters NFKC reads as its own (full-width, circled, mathematical), and no word that merely holds part of it', () => {
    const set = new SecretSet();
    set.add('Secret-Key-42');
    expect(set.scrub('ｓｅｃｒｅｔ－ｋｅｙ－４２ Ⓢⓔⓒⓡⓔⓣ-𝐊𝐞𝐲-⁴² secret key Secrets')).toBe(`${REDACTED} ${REDACTED} secret key Secrets`);
  });
});

// JSON encoders escape characters JSON.stringify leaves alone: Rails (OnApp) <, > and &; PHP every non-ASCII character.
describe('SecretSet.scrub: secrets behind \\u escapes', () => {
  const SECRET = 'Pa<ss>&w\u00f6rd-91c4e2"\u{1F600}';
  const secrets = new SecretSet();
  secrets.add(SECRET);
  /** `value` as a JSON string literal's inside, with the characters `pick` chooses written as \uXXXX in `hexCase`. */
  const escaped = (value: string, pick: (char: string) => boolean, hexCase: 'lower' | 'upper' = 'lower') =>
    [...JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"')]
      .map((char) => {
        if (!pick(char)) return char === '"' ? '\\"' : char;
        const units = char.length === 2 ? [char.charCodeAt(0), char.charCodeAt(1)] : [char.charCodeAt(0)];
        return units.map((unit) => `\\u${unit.toString(16).padStart(4, '0')}`).map((form) => (hexCase === 'upper' ? form.toUpperCase().replace('\\U', '\\u') : form)).join('');
      })
      .join('');

  it.each([
    ['Rails: <, > and &', (char: string) => '<>&'.includes(char)],
    ['PHP: everything past ASCII', (char: string) => char.codePointAt(0)! > 0x7f],
    ['an encoder that escapes every character', () => true],
  ])('finds it when %s are escaped, in upper- or lower-case hex, and the JSON still parses to the same, redacted', (_name, pick) => {
    for (const hexCase of ['lower', 'upper'] as const) {
      const text = `{"errors":{"base":["API key ${escaped(SECRET, pick, hexCase)} is not valid"]}}`;
      expect(JSON.parse(text)).toEqual({ errors: { base: [`API key ${SECRET} is not valid`] } });
      const scrubbed = secrets.scrub(text);
      expect(JSON.parse(scrubbed)).toEqual({ errors: { base: [`API key ${REDACTED} is not valid`] } });
    }
  });

  it('leaves escaped text without a secret exactly as it was', () => {
    const text = '{"name":"caf\\u00e9 \\u003cb\\u003e","path":"a\\\\u0041"}';
    expect(secrets.scrub(text)).toBe(text);
  });
});

// Encoders differ in what they escape and how: a 422 from a PHP, Python or .NET provider, or an HTML template, quotes a password its own way.
describe('SecretSet.scrub: many escaped copies', () => {
  it('redacts each of thousands of escaped copies, a longer secret around a shorter one taken whole', () => {
    const secret = 'Sup3r"Secr&t*pw<x>yz';
    const secrets = new SecretSet();
    secrets.add(secret);
    secrets.add('Secr&t');
    const escaped = JSON.stringify(secret).slice(1, -1).replace(/\\"/g, '\\u0022').replace(/&/g, '\\u0026').replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
    const text = `[${Array.from({ length: 5_000 }, (_, index) => `"${escaped} ${index}"`).join(',')},"Secr\\u0026t alone"]`;
    const out = secrets.scrub(text);
    expect(out).not.toContain('Secr');
    expect(out.match(/\[redacted\] \d+/g)).toHaveLength(5_000);
    expect(out.endsWith('"[redacted] alone"]')).toBe(true);
    expect(JSON.parse(out)).toHaveLength(5_001);
  });
});

describe('SecretSet.scrub: a secret as other encoders write it', () => {
  const PASSWORD = "Ev1l*Key~(x)!'9";
  const secrets = new SecretSet();
  secrets.add(PASSWORD);
  secrets.add(`ops@example.com:${PASSWORD}`);

  it.each([
    ["PHP rawurlencode, Python quote(safe=''): !'()* escaped too", 'Ev1l%2AKey~%28x%29%21%279'],
    ['PHP urlencode: ~ escaped as well', 'Ev1l%2AKey%7E%28x%29%21%279'],
    ['form-encoded as URLSearchParams writes it: ~ escaped, * not', new URLSearchParams({ s: PASSWORD }).toString().slice(2)],
    ['lower-case hex (.NET)', 'Ev1l%2aKey%7e%28x%29%21%279'],
    ['HTML-escaped: &#39;', 'Ev1l*Key~(x)!&#39;9'],
    ['HTML-escaped: &#x27;', 'Ev1l*Key~(x)!&#x27;9'],
    ['HTML-escaped: &#X27;', 'Ev1l*Key~(x)!&#X27;9'],
    ['HTML-escaped: &apos;', 'Ev1l*Key~(x)!&apos;9'],
    ['every character a decimal reference', [...PASSWORD].map((char) => `&#${char.charCodeAt(0)};`).join('')],
    ['the user:password pair, PHP urlencode', 'ops%40example.com%3AEv1l%2AKey%7E%28x%29%21%279'],
    ['the user:password pair, lower-case hex', 'ops%40example.com%3aEv1l%2aKey~%28x%29%21%279'],
  ])('redacts it %s, whole, and leaves the words around it as they were', (_how, quoted) => {
    const text = `{"error":"value refused: ${quoted} (422)"}`;
    expect(secrets.scrub(text)).toBe(`{"error":"value refused: ${REDACTED} (422)"}`);
  });

  it('redacts a secret with " & < > in any of the HTML escapes, and the JSON reads as the words with the hole', () => {
    const secret = 'Pa"ss&<w>rd-77';
    const set = new SecretSet();
    set.add(secret);
    for (const quoted of ['Pa&quot;ss&amp;&lt;w&gt;rd-77', 'Pa&#34;ss&#38;&#60;w&#62;rd-77', 'Pa&#x22;ss&#x26;&#x3C;w&#x3e;rd-77', 'Pa&QUOT;ss&AMP;&LT;w&GT;rd-77']) {
      const scrubbed = set.scrub(`{"error":"key ${quoted} is wrong"}`);
      expect(JSON.parse(scrubbed)).toEqual({ error: `key ${REDACTED} is wrong` });
    }
  });

  it('takes an escape a secret begins or ends inside whole, so no half escape is left beside the hole', () => {
    const set = new SecretSet();
    set.add('\u{1F600}-secret-&');
    // The secret begins with the emoji, one escape (a UTF-8 sequence, a surrogate pair, a reference), and ends with "&", all of "&amp;".
    for (const emoji of ['%F0%9F%98%80', '%f0%9f%98%80', '\\ud83d\\ude00', '&#128512;', '&#x1F600']) {
      expect(set.scrub(`"%e2%80%a6${emoji}-secret-&amp; next"`), emoji).toBe(`"%e2%80%a6${REDACTED} next"`);
    }
    // Read twice: "%2541" reads as "%41", then "A"; the escape of the escape goes whole.
    const nested = new SecretSet();
    nested.add('A-secret-&');
    expect(nested.scrub('q%2541-secret-%2526 next')).toBe(`q${REDACTED} next`);
    expect(nested.scrub('q%41-secret-&amp;amp; next')).toBe(`q${REDACTED} next`);
  });

  it('keeps the escapes of the rest of the answer as the provider wrote them', () => {
    const text = '{"url":"a%2fb%7Ec","note":"Tom &amp; Jerry \\u00e9","error":"bad Ev1l%2aKey~%28x%29%21%279","again":"Ev1l*Key~(x)!&#39;9 &lt;"}';
    expect(secrets.scrub(text)).toBe(`{"url":"a%2fb%7Ec","note":"Tom &amp; Jerry \\u00e9","error":"bad ${REDACTED}","again":"${REDACTED} &lt;"}`);
  });

  it('leaves text with escapes and no secret exactly as it was', () => {
    // 'Ev1l%2AKe' reads as 7 of the secret's characters: fewer than a piece (MIN_PIECE_LENGTH).
    for (const text of ['{"url":"https://x/?a=1&b=%2a%7E","note":"a &amp; b &#39;c&#x27; &lt;d&gt;","name":"caf\\u00e9"}', 'Ev1l%2AKe%28x%29%21%278', '50% of Ev1l*Ke &amp', '&#1114112; &#x110000; &nbsp; %zz']) {
      expect(secrets.scrub(text)).toBe(text);
    }
  });

  it('redacts a piece of the secret read through an escape of its own punctuation between letters (escaped-joiners.ts)', () => {
    // "Ev1l*Key~": 9 of the secret's characters, its "*" escaped; the piece search read no escape and left them.
    // The "~" before "%28" is read with it as one joiner (a run of punctuation, scrub-spaced-joiner-runs.test.ts): redacted with it.
    expect(secrets.scrub('Ev1l%2AKey~%28x%29%21%278')).toBe(`${REDACTED}x%29%21%278`);
  });

  it('finds each of several quotes, one form beside another, and redacts the pair whole', () => {
    const text = 'ops%40example.com%3AEv1l%2AKey%7E%28x%29%21%279 Ev1l%2aKey~%28x%29%21%279Ev1l*Key~(x)!&#39;9';
    expect(secrets.scrub(text)).toBe(`${REDACTED} ${REDACTED}${REDACTED}`);
    // The pair is found first (longest form first); the password just before it is found after.
    expect(secrets.scrub('Ev1l%2aKey~%28x%29%21%279ops%40example.com%3AEv1l%2AKey~%28x%29%21%279')).toBe(`${REDACTED}${REDACTED}`);
  });

  it('finds a secret whose only odd escape is any one character encodeURIComponent leaves alone, in either hex case', () => {
    const untouched = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*\'()'];
    for (const char of untouched) {
      // No other character of it is escaped: the one escape is all there is to find.
      const secret = `s3cret-${char}-s3cret`;
      const set = new SecretSet();
      set.add(secret);
      const hex = char.charCodeAt(0).toString(16);
      for (const escape of new Set([`%${hex.toUpperCase()}`, `%${hex.toLowerCase()}`])) {
        const quoted = encodeURIComponent(secret).replace(char, escape);
        expect(set.scrub(`auth=${quoted}&next`), `${char} as ${escape}`).toBe(`auth=${REDACTED}&next`);
      }
    }
  });

  it('finds a secret whose only odd escape is lower-case hex of a byte encodeURIComponent escapes', () => {
    const set = new SecretSet();
    set.add('\u00e9-s3cret-\u00e0');
    for (const quoted of ['%c3%a9-s3cret-%c3%a0', '%c3%a9-s3cret-%C3%A0', '%C3%A9-s3cret-%c3%a0', '%C3%A9-s3cret-%C3%a0', '%C3%A9-s3cret-%c3%A0']) expect(set.scrub(`[${quoted}]`), quoted).toBe(`[${REDACTED}]`);
  });
});

// Encoders nest: Rails JSON-escapes the "&" of an HTML reference, a proxy URL-encodes a query twice, a Basic header's base64 goes into a URL.
describe('SecretSet.scrub: a secret behind escapes inside escapes', () => {
  /** Its base64 in a Basic pair holds "/", "+" and "=", each URL-encoded in a URL. */
  const PASSWORD = 'Ev1l"Kgfec?c:~?';
  const pair = `ops@example.com:${PASSWORD}`;
  const set = new SecretSet();
  set.add(PASSWORD);
  set.add(pair, { base64: true });
  const jsonEscaped = (text: string): string => JSON.stringify(text).slice(1, -1);

  it.each([
    ['as HTML written as JSON escapes (Rails: \\u0026quot;)', 'Ev1l\\u0026quot;Kgfec?c:~?'],
    ['as HTML written as JSON escapes, every character', [...'Ev1l&#34;Kgfec&#63;c&#58;~&#63;'].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
    ['URL-encoded twice', 'Ev1l%2522Kgfec%253Fc%253A%257E%253F'],
    ['URL-encoded three times, lower-case hex', 'Ev1l%252522Kgfec%25253fc%25253a~%25253f'],
    ['as a JSON string inside a JSON string', jsonEscaped(jsonEscaped(PASSWORD))],
    ['as JSON, URL-encoded', encodeURIComponent(jsonEscaped(PASSWORD))],
    ['as HTML, URL-encoded', 'Ev1l%26quot%3BKgfec%3Fc%3A~%3F'],
    ['as HTML, HTML-escaped again', 'Ev1l&amp;quot;Kgfec?c:~?'],
    ['with decimal references of overlong digits', 'Ev1l&#00000034;Kgfec&#0000063;c&#000058;~&#063;'],
    ['with hex references of overlong digits', 'Ev1l&#x0000022;Kgfec&#X00003f;c:~?'],
    ['with references without the closing ";", as browsers read them', 'Ev1l&#34Kgfec&#63c&#x3A~&#x3F'],
    ['with &quot and &QUOT without the ";"', 'Ev1l&quotKgfec?c:~?'],
    ['with HTML5 names', 'Ev1l&QUOT;Kgfec&quest;c&colon;&tilde;&quest;'.replace('&tilde;', '~')],
    ['four escapes deep (JSON, URL twice, HTML)', 'Ev1l\\u00252526quot\\u0025253BKgfec?c:~?'],
  ])('redacts it %s, whole, and leaves the words around it as they were', (_how, quoted) => {
    const text = `{"error":"value refused: ${quoted} (422)"}`;
    expect(set.scrub(text)).toBe(`{"error":"value refused: ${REDACTED} (422)"}`);
  });

  it('redacts the base64 of a Basic pair URL-encoded ("+", "/" and "=" as %2B, %2F, %3D), in either hex case, its padding too', () => {
    const encoded = Buffer.from(pair).toString('base64');
    expect(encoded).toMatch(/\/.*\+.*==$/);
    for (const quoted of [encodeURIComponent(encoded), encodeURIComponent(encoded).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()), encodeURIComponent(encodeURIComponent(encoded))]) {
      const scrubbed = set.scrub(`https://api.example/?auth=Basic%20${quoted}&next=1`);
      expect(scrubbed, quoted).toBe(`https://api.example/?auth=Basic%20${REDACTED}&next=1`);
    }
  });

  it('redacts every HTML5 name for ASCII punctuation a secret may hold, and the legacy ones without ";"', () => {
    const names: Record<string, string> = {
      excl: '!', quot: '"', QUOT: '"', num: '#', dollar: '$', percnt: '%', amp: '&', AMP: '&', apos: "'", lpar: '(', rpar: ')', ast: '*', midast: '*', plus: '+', comma: ',',
      period: '.', sol: '/', colon: ':', semi: ';', lt: '<', LT: '<', equals: '=', gt: '>', GT: '>', quest: '?', commat: '@', lsqb: '[', lbrack: '[', bsol: '\\', rsqb: ']',
      rbrack: ']', Hat: '^', lowbar: '_', UnderBar: '_', grave: '`', DiacriticalGrave: '`', lcub: '{', lbrace: '{', verbar: '|', vert: '|', VerticalLine: '|', rcub: '}', rbrace: '}',
    };
    for (const [name, char] of Object.entries(names)) {
      const one = new SecretSet();
      one.add(`k3y${char}s3cret`);
      expect(one.scrub(`<p>k3y&${name};s3cret</p>`), name).toBe(`<p>${REDACTED}</p>`);
    }
    for (const name of ['quot', 'QUOT', 'amp', 'AMP', 'lt', 'LT', 'gt', 'GT']) {
      const one = new SecretSet();
      one.add(`k3y${names[name]}s3cret`);
      expect(one.scrub(`<p>k3y&${name}s3cret</p>`), name).toBe(`<p>${REDACTED}</p>`);
    }
  });

  it('reads HTML names as browsers do: case counts, and only the legacy ones go without ";"', () => {
    const one = new SecretSet();
    one.add('k3y"s3cret');
    one.add('k3y/s3cret');
    for (const text of ['k3y&Quot;s3cret', 'k3y&solS3cret', 'k3y&sols3cret', 'k3y&SOL;s3cret']) expect(one.scrub(text), text).toBe(text);
  });

  it('redacts a form-encoded secret read through ("+" for a space beside other escapes)', () => {
    const one = new SecretSet();
    one.add('my key"is:here');
    expect(one.scrub('q=my+key%22is%3ahere&x=1')).toBe(`q=${REDACTED}&x=1`);
  });

  it('redacts a secret that holds what reads as an escape, quoted behind escapes of its own', () => {
    const one = new SecretSet();
    one.add('p%41ss"w0rd');
    for (const quoted of ['p%41ss&quot;w0rd', 'p%2541ss%2522w0rd', 'p%41ss"w0rd']) expect(one.scrub(`[${quoted}]`), quoted).toBe(`[${REDACTED}]`);
  });

  it('reads an answer four times at most (the bound on what a hostile answer costs)', () => {
    const fiveDeep = 'Ev1l%2525252522Kgfec?c:~?';
    // Not read a fifth time as a whole; its quote's escape between letters is read at any depth, and the pieces on either side of it
    // make the secret (escaped-joiners.ts).
    expect(set.scrub(fiveDeep)).toBe(REDACTED);
    // Where no piece is beside the quote (three spaces apart), the answer is not read a fifth time: its last 10 characters are a piece of the secret.
    expect(set.scrub('Ev1l%2525252522   Kgfec?c:~?')).toBe(`Ev1l%2525252522   ${REDACTED}`);
    expect(set.scrub('Ev1l%25252522Kgfec?c:~?')).toBe(REDACTED);
  });

  it('redacts a secret found in a later reading before one found in an earlier reading, each whole', () => {
    const two = new SecretSet();
    two.add('A-secret-one');
    two.add('B-secret-two');
    // "B-secret-two" shows in the first reading; "A-secret-one", before it, only in the second.
    expect(two.scrub('%2541-secret-one and %42-secret-two.')).toBe(`${REDACTED} and ${REDACTED}.`);
  });

  it('leaves nested escapes without a secret exactly as they were', () => {
    // "Ev1l&quot;Kgf" reads as 8 characters of the secret, its quote passed over: 7.
    const text = '{"a":"%2522x%2522","b":"\\u0026quot;y\\u0026quot;","c":"&amp;lt;z&amp;gt;","d":"\\\\\\"w\\\\\\"","e":"Ev1l&quot;Kgf!"}';
    expect(set.scrub(text)).toBe(text);
    // 11 of them (the quote its own, escaped, between letters): a piece, read through the escape (escaped-joiners.ts).
    expect(set.scrub('"Ev1l&quot;Kgfec?c!"')).toBe(`"${REDACTED}!"`);
  });
});

describe('SecretSet.scrub: a secret as a repr, SQL or a longer base64 quotes it', () => {
  const SECRET = "O'Brien-k\u00e9y-7Qx";
  const set = new SecretSet();
  set.add(SECRET);
  const hex = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('');

  it.each([
    ["Python's repr (\\')", "O\\'Brien-k\u00e9y-7Qx"],
    ["Python's repr of the UTF-8 bytes (\\xNN)", `O\\'Brien-k${hex('\u00e9')}y-7Qx`],
    ['\\xNN for each character (JavaScript, Latin-1)', "O\\x27Brien-k\\xe9y-7Qx"],
    ['every byte as \\xNN', hex(SECRET)],
    ['\\u{...} braces (JavaScript)', "O\\u{27}Brien-k\\u{e9}y-\\u{37}Qx"],
    ['octal escapes (C, PHP, Ruby)', "O\\047Brien-k\\351y-\\67Qx"],
    ['a repr inside a JSON string (\\\\x)', `O\\\\x27Brien-k\\\\xc3\\\\xa9y-7Qx`],
    ["SQL's doubled quote", "O''Brien-k\u00e9y-7Qx"],
    ['all in capitals', "O'BRIEN-K\u00c9Y-7QX"],
    ['all in small letters', "o'brien-k\u00e9y-7qx"],
  ])('redacts it as %s, whole, and leaves the words around it as they were', (_how, quoted) => {
    expect(set.scrub(`{"error":"value refused: ${quoted} (422)"}`)).toBe(`{"error":"value refused: ${REDACTED} (422)"}`);
  });

  it('reads \\xNN bytes that spell no UTF-8 character as Latin-1, and a \\u{...} past Unicode as no character', () => {
    const other = new SecretSet();
    other.add('m\u00fcller-pass');
    expect(other.scrub('user m\\xfcller-pass')).toBe(`user ${REDACTED}`);
    expect(other.scrub('user m\\xc3\\xbcller-pass')).toBe(`user ${REDACTED}`);
    expect(other.scrub('\\u{110000}m\\u{fc}ller-pass')).toBe(`\\u{110000}${REDACTED}`);
  });

  it('leaves text with such escapes and no secret exactly as it was', () => {
    const text = "it\\'s \\x41\\u{42}\\103 and O\\'Brie-k\\xe9y-7Qy, O''Brien";
    expect(set.scrub(text)).toBe(text);
  });

  it('redacts the base64 of a Basic pair inside a longer base64 text, at each alignment, and base64-encoded twice', () => {
    const pair = 'ops@example.com:Ev1l"Kgfec?c:~?';
    const basic = new SecretSet();
    basic.add(pair, { base64: true });
    for (const before of ['', 'x', 'xy', 'Authorization: Basic ']) {
      for (const text of [`${before}${pair}\n`, `${before}Basic ${Buffer.from(pair).toString('base64')}\n`]) {
        for (const encoded of [Buffer.from(text).toString('base64'), Buffer.from(text).toString('base64url')]) {
          const scrubbed = basic.scrub(`blob ${encoded} end`);
          expect(scrubbed, `${JSON.stringify(text)} as ${encoded}`).toContain(REDACTED);
          // What is left decodes to no more than a character's bits of the pair at either end.
          const left = scrubbed.split(REDACTED).map((part) => Buffer.from(part.replace(/^blob |\s*end$/g, ''), 'base64').toString('latin1'));
          for (const part of left) expect(part).not.toContain(pair.slice(0, 3));
        }
      }
    }
  });

  it('redacts the whole base64 of a quoted header, its last character too', () => {
    const basic = new SecretSet();
    basic.add('opsuser:pw', { base64: true });
    expect(basic.scrub('Basic b3BzdXNlcjpwdw')).toBe(`Basic ${REDACTED}`);
  });

  // `Basic [redacted]=` told a reader the pair's length mod 3: the padding is the credential token's too.
  it.each([
    ['"==" as written', 'opsuser:pw', 'b3BzdXNlcjpwdw=='],
    ['"=" as written', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q='],
    ['"==" URL-encoded (%3D%3D)', 'opsuser:pw', 'b3BzdXNlcjpwdw%3D%3D'],
    ['"=" URL-encoded (%3D)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q%3D'],
    ['"==" URL-encoded in small letters (%3d%3d)', 'opsuser:pw', 'b3BzdXNlcjpwdw%3d%3d'],
    ['"=" as Gson writes it (\\u003d)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q\\u003d'],
    ['"==" after the URL-safe alphabet', 'ops?>:pw>?', 'b3BzPz46cHc-Pw=='],
    ['"==" with the header\'s base64 escaped throughout (\\u0062...)', 'opsuser:pw', [...'b3BzdXNlcjpwdw=='].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')],
  ])('redacts the base64 of a quoted header with its padding, %s', (_how, pair, quoted) => {
    const basic = new SecretSet();
    basic.add(pair, { base64: true });
    expect(basic.scrub(`{"error":"Authorization \\"Basic ${quoted}\\" refused"}`)).toBe(`{"error":"Authorization \\"Basic ${REDACTED}\\" refused"}`);
  });

  // Only `=`, `%3D`, `%3d` and `\u003d` are searched for: any other writing of the padding after the base64 found as it stands was left.
  it.each([
    ['"==" URL-encoded twice (%253D%253D)', 'opsuser:pw', 'b3BzdXNlcjpwdw%253D%253D'],
    ['"=" URL-encoded twice (%253D)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q%253D'],
    ['"==" URL-encoded three times (%25253d%25253d)', 'opsuser:pw', 'b3BzdXNlcjpwdw%25253d%25253d'],
    ['"==" as decimal references (&#61;&#61;)', 'opsuser:pw', 'b3BzdXNlcjpwdw&#61;&#61;'],
    ['"=" as a decimal reference (&#61;)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q&#61;'],
    ['"==" as hex references (&#x3D;&#x3d;)', 'opsuser:pw', 'b3BzdXNlcjpwdw&#x3D;&#x3d;'],
    ['"=" as a hex reference without ";" (&#X3D)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q&#X3D'],
    ['"==" as named references (&equals;)', 'opsuser:pw', 'b3BzdXNlcjpwdw&equals;&equals;'],
    ['"==" as references escaped again (&amp;#61;)', 'opsuser:pw', 'b3BzdXNlcjpwdw&amp;#61;&amp;#61;'],
    ['"=" as JSON in capitals (\\u003D)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q\\u003D'],
    ['"==" as JSON inside JSON (\\\\u003d)', 'opsuser:pw', 'b3BzdXNlcjpwdw\\\\u003d\\\\u003d'],
    ['"==" written two ways (=%253D)', 'opsuser:pw', 'b3BzdXNlcjpwdw=%253D'],
    ['"=" URL-encoded four times, as deep as the search through escapes reads (%2525253D)', 'opsuser:pwd', 'b3BzdXNlcjpwd2Q%2525253D'],
    ['"==" after the URL-safe alphabet, as references', 'ops?>:pw>?', 'b3BzPz46cHc-Pw&#61;&#61;'],
  ])('redacts the base64 of a quoted header with its padding written otherwise, %s', (_how, pair, quoted) => {
    const basic = new SecretSet();
    basic.add(pair, { base64: true });
    expect(basic.scrub(`{"error":"Authorization \\"Basic ${quoted}\\" refused"}`)).toBe(`{"error":"Authorization \\"Basic ${REDACTED}\\" refused"}`);
    // The same where the text holds a character a reader skips over (the search that marks what it finds).
    expect(basic.scrub(`Basic ${quoted} \u200b`)).toBe(`Basic ${REDACTED} \u200b`);
  });

  it('takes no more than the padding after the base64, nor an escape that reads as no "="', () => {
    const basic = new SecretSet();
    basic.add('opsuser:pw', { base64: true });
    expect(basic.scrub('auth=b3BzdXNlcjpwdw%253D%253D%253D&next=1')).toBe(`auth=${REDACTED}%253D&next=1`);
    expect(basic.scrub('auth=b3BzdXNlcjpwdw&#6123;&next=1')).toBe(`auth=${REDACTED}&#6123;&next=1`);
    expect(basic.scrub('auth=b3BzdXNlcjpwdw%2526next%253D1')).toBe(`auth=${REDACTED}%2526next%253D1`);
    const one = new SecretSet();
    one.add('opsuser:pwd', { base64: true });
    expect(one.scrub('b3BzdXNlcjpwd2Q&#61;&#61;')).toBe(`${REDACTED}&#61;`);
  });

  it('leaves an "=" after a base64 no padding ends (a 3-byte-aligned pair), and the text after a padded one', () => {
    const basic = new SecretSet();
    basic.add('opsuser:pwdx', { base64: true });
    expect(Buffer.from('opsuser:pwdx').toString('base64')).toBe('b3BzdXNlcjpwd2R4');
    expect(basic.scrub('auth=b3BzdXNlcjpwd2R4=1')).toBe(`auth=${REDACTED}=1`);
    const padded = new SecretSet();
    padded.add('opsuser:pw', { base64: true });
    expect(padded.scrub('auth=b3BzdXNlcjpwdw==&next=1')).toBe(`auth=${REDACTED}&next=1`);
  });
});

describe('encodedForms (what is searched for in every answer)', () => {
  it('is the secret as sent, URL- and form-encoded, JSON-escaped and with "/" escaped, each once', () => {
    expect(encodedForms('a/b c+d"é')).toEqual([
      'a/b c+d"é',
      // All in capitals (all in small letters is the secret itself).
      'A/B C+D"É',
      // Latin-1 read as UTF-8 (a provider's answer naming no charset): é is a U+FFFD.
      'a/b c+d"\ufffd',
      'a/b c+d\\"é',
      // The quote doubled, as CSV escapes it.
      'a/b c+d""é',
      'a\\/b c+d"é',
      'A\\/B C+D"É',
      'a\\/b c+d"\ufffd',
      'a\\/b c+d\\"é',
      'a\\/b c+d""é',
      'a%2Fb+c%2Bd%22%C3%A9',
      'a%2Fb%20c%2Bd%22%C3%A9',
    ]);
  });

  it('reads a secret past Latin-1 no other way: its Latin-1 bytes would be other letters', () => {
    expect(encodedForms('zażółć-gęślą')).not.toContainEqual(expect.stringContaining('\ufffd'));
  });

  it('is the secret alone where no encoding changes it, and base64 forms only when asked for', () => {
    expect(encodedForms('plain-secret')).toEqual(['plain-secret', 'PLAIN-SECRET']);
    expect(encodedForms('plain-secret', {})).toEqual(['plain-secret', 'PLAIN-SECRET']);
    expect(encodedForms('1234-5678')).toEqual(['1234-5678']);
  });

  it('adds base64 in both alphabets, at each of the three alignments and encoded twice, for a secret sent in a Basic header', () => {
    expect(encodedForms('user:pass?>>', { base64: true })).toEqual([
      'user:pass?>>',
      'USER:PASS?>>',
      // After one and two bytes of a longer text: the characters the pair's bits alone make.
      'VzZXI6cGFzcz8+P',
      'VzZXI6cGFzcz8-P',
      '1c2VyOnBhc3M/Pj',
      '1c2VyOnBhc3M_Pj',
      // 12 bytes: at the start the whole base64, nothing of it shared with what follows.
      'dXNlcjpwYXNzPz4+',
      'dXNlcjpwYXNzPz4-',
      '1c2VyOnBhc3M\\/Pj',
      'user%3Apass%3F%3E%3E',
      // Its base64 encoded again, at each alignment.
      'RYTmxjanB3WVhOelB6NC',
      'ZFhObGNqcHdZWE56UHo0K',
      'kWE5sY2pwd1lYTnpQejQr',
    ]);
  });

  it('searches for the whole base64 with its padding as written, URL-encoded and JSON-escaped, and without it', () => {
    // base64 of "opsuser:pw" is b3BzdXNlcjpwdw== ; its URL-safe form has no padding.
    expect(encodedForms('opsuser:pw', { base64: true })).toEqual([
      'opsuser:pw',
      'OPSUSER:PW',
      'opsuser%3Apw',
      '9wc3VzZXI6cH',
      // At the start of a longer text: "w" holds bits of what follows, so is left out here...
      'b3BzdXNlcjpwd',
      'vcHN1c2VyOnB3',
      'YjNCemRYTmxjanB3ZH',
      'IzQnpkWE5sY2pwd2R3',
      'iM0J6ZFhObGNqcHdkd',
      // ...and searched for with it, for a header quoted whole: with its padding first (longest first), then without.
      'b3BzdXNlcjpwdw==',
      'b3BzdXNlcjpwdw%3D%3D',
      'b3BzdXNlcjpwdw%3d%3d',
      'b3BzdXNlcjpwdw\\u003d\\u003d',
      'b3BzdXNlcjpwdw',
    ]);
    const set = new SecretSet();
    set.add('opsuser:pw', { base64: true });
    expect(set.scrub('Basic b3BzdXNlcjpwdw==')).toBe(`Basic ${REDACTED}`);
  });

  it('is nothing for a secret shorter than six characters, and the secret itself at six', () => {
    expect(encodedForms('abcde')).toEqual([]);
    expect(encodedForms('abcdeg')).toEqual(['abcdeg', 'ABCDEG']);
  });
});

describe('readForms (what is searched for in an answer read through its escapes)', () => {
  it('is the secret, with "+" for a space, as it reads itself, in capitals and small letters, its quotes doubled; base64 only when asked for', () => {
    expect(readForms('my key%41"x')).toEqual(['my keyA"x', 'my key%41"x', 'my+key%41"x', 'MY KEY%41"X', 'my key%41""x']);
    expect(readForms('plain-secret')).toEqual(['plain-secret', 'PLAIN-SECRET']);
    const pair = 'ops@example.com:Ev1l"Kgfec?c:~?';
    const cased = [pair, 'OPS@EXAMPLE.COM:EV1L"KGFEC?C:~?', 'ops@example.com:ev1l"kgfec?c:~?', 'ops@example.com:Ev1l""Kgfec?c:~?'];
    expect(readForms(pair)).toEqual(cased);
    expect(readForms(pair, { base64: true })).toEqual(expect.arrayContaining([...cased, 'b3BzQGV4YW1wbGUuY29tOkV2MWwiS2dmZWM/Yzp+Pw', 'b3BzQGV4YW1wbGUuY29tOkV2MWwiS2dmZWM_Yzp-Pw']));
  });
});

describe('SecretSet: what it holds', () => {
  it('searches for exactly the forms of its secrets', () => {
    const set = new SecretSet();
    set.add('plain-secret');
    // Its two cases, and its hex in both (hex-secrets.ts).
    expect(set.size).toBe(4);
    set.add('opsuser:pw', { base64: true });
    // Its whole base64 with its padding four ways (encodedForms) among them.
    expect(set.size).toBe(20);
    set.add('plain-secret');
    expect(set.size).toBe(20);
  });

  it('takes a secret of six characters, configured or obtained at run time, and ignores none given', () => {
    const set = new SecretSet();
    set.add('abcdeg');
    set.addRuntime('123456');
    set.add(undefined);
    set.addRuntime(null);
    set.addRuntime('12345');
    expect(set.scrub('abcdeg 123456 12345')).toBe(`${REDACTED} ${REDACTED} 12345`);
    // abcdeg, ABCDEG, 123456, and the hex of each (digits only, one form each).
    expect(set.size).toBe(5);
  });

  it('reads a login\'s answer scrubbed of the configured secrets only, and keeps the run-time tokens for every other answer', () => {
    const set = new SecretSet();
    set.add('configured-secret');
    set.addRuntime('session-0123456789');
    expect(set.size).toBe(8);
    expect(set.scrubConfigured('configured-secret session-0123456789')).toBe(`${REDACTED} session-0123456789`);
    expect(set.scrub('configured-secret session-0123456789')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('spends no run-time slot on a configured secret or on a token it already holds', () => {
    const set = new SecretSet();
    set.add('configured-secret');
    const tokens = ['token-1-abcdef', 'token-2-abcdef', 'token-3-abcdef', 'token-4-abcdef'];
    set.addRuntime(tokens[0]);
    set.addRuntime(tokens[1]);
    set.addRuntime(tokens[2]);
    set.addRuntime('configured-secret');
    set.addRuntime(tokens[0]);
    set.addRuntime(tokens[0]);
    set.addRuntime(tokens[3]);
    // Four slots, four tokens: none pushed out.
    expect(set.scrub(tokens.join(' '))).toBe(Array(4).fill(REDACTED).join(' '));
  });
});

describe('SecretSet run-time tokens', () => {
  it('makes a token handed out again the newest: the next logins push out the older ones first', () => {
    const set = new SecretSet();
    const [again, ...others] = ['token-a-abcdef', 'token-b-abcdef', 'token-c-abcdef', 'token-d-abcdef', 'token-e-abcdef'];
    set.addRuntime(again);
    for (const token of others.slice(0, 3)) set.addRuntime(token);
    // A login answers with the session held first: it is the live one again.
    set.addRuntime(again);
    set.addRuntime(others[3]);
    expect(set.scrub(`${again} ${others[0]}`)).toBe(`${REDACTED} ${others[0]}`);
    expect(set.size).toBe(16);
  });
});

describe('sha512Hex', () => {
  it('is the hex SHA-512 of the text (the FIPS 180-2 "abc" vector)', () => {
    expect(sha512Hex('abc')).toBe('ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
  });
});

describe('provider codes', () => {
  it('pass as short tokens, lose trailing words, fall back when long or odd', () => {
    expect(clipProviderCode('SYS.1007', 'F')).toBe('SYS.1007');
    expect(clipProviderCode('ID.1001: wrong account name or password', 'F')).toBe('ID.1001');
    expect(clipProviderCode('a'.repeat(41), 'F')).toBe('F');
    expect(clipProviderCode(sha512Hex('x'), 'F')).toBe('F');
    expect(clipProviderCode('[redacted]', 'F')).toBe('F');
    expect(clipProviderCode(42, 'F')).toBe('F');
  });

  it('a GatewayError drops a provider code that is not a short token', () => {
    expect(providerError('p', 'm', sha512Hex('x')).details).toEqual({ provider: 'p' });
    expect(providerError('p', 'm', 'HTTP_500').details).toEqual({ provider: 'p', providerCode: 'HTTP_500' });
  });
});

describe('publicRaw', () => {
  const hidden = hiddenFields(['installPath']);

  it('drops credential and listed fields at any depth, copying only what changes', () => {
    const kept = { size: 1 };
    const record = { name: 'b', Password: 'x', volumes: [{ installPath: '/bs/1', uuid: 'u' }, kept] };
    const out = publicRaw(record, hidden);
    expect(out).toEqual({ name: 'b', volumes: [{ uuid: 'u' }, { size: 1 }] });
    expect((out.volumes as unknown[])[1]).toBe(kept);
    expect(record.Password).toBe('x');
  });

  it('returns a clean record itself', () => {
    const record = { name: 'b', list: [{ a: 1 }] };
    expect(publicRaw(record, hidden)).toBe(record);
  });

  it('matches hidden names in any case, the same verdict every time it meets a key', () => {
    for (let round = 0; round < 3; round++) {
      const record = { INSTALLPATH: '/a', installpath: '/b', PassWord: 'x', Token: 't', name: 'n' };
      expect(publicRaw(record, hidden)).toEqual({ name: 'n' });
    }
    expect(publicRaw({ installPathology: 1 }, hidden)).toEqual({ installPathology: 1 });
  });

  it('remembers a bounded number of short keys, and still judges every other key', () => {
    const fields = hiddenFields([]);
    const long = 'x'.repeat(100);
    expect(publicRaw({ [long]: 1, PASSWORD: 'p' }, fields)).toEqual({ [long]: 1 });
    expect(fields.remembered).toBe(1);
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, index) => [`k${index}`, index]));
    expect(publicRaw({ ...many, token: 't' }, fields)).toEqual(many);
    expect(fields.remembered).toBe(4096);
    expect(publicRaw({ k4999: 1, Token: 't' }, fields)).toEqual({ k4999: 1 });
  });

  it('hides the credential fields of every provider, whatever the provider lists itself', () => {
    const credentials = ['password', 'passwd', 'token', 'auth', 'authinfo', 'authorization', 'api_key', 'apikey', 'secret', 'session', 'sessionid', 'session_id', 'access_token', 'private_key'];
    const record = Object.fromEntries([...credentials.map((name) => [name.toUpperCase(), 'x']), ['name', 'n']]);
    expect(publicRaw(record, hiddenFields([]))).toEqual({ name: 'n' });
  });

  it('remembers a key of exactly 64 characters, not one longer', () => {
    const fields = hiddenFields([]);
    publicRaw({ ['a'.repeat(64)]: 1, ['b'.repeat(65)]: 2 }, fields);
    expect(fields.remembered).toBe(1);
  });

  it('copies a record whose first change is deep inside it, with no hidden field at the top', () => {
    const record = { name: 'n', volumes: [{ installPath: '/p', uuid: 'u' }], size: 3 };
    expect(publicRaw(record, hidden)).toEqual({ name: 'n', volumes: [{ uuid: 'u' }], size: 3 });
  });

  it('leaves strings whole, whatever the hidden names (a string is not a record of its characters)', () => {
    expect(publicRaw({ name: 'ab', list: ['cd'] }, hiddenFields(['0', '1']))).toEqual({ name: 'ab', list: ['cd'] });
  });

  it('keeps the order of the fields around a hidden one, and copies only the records that change', () => {
    const untouched = { uuid: 'u' };
    const record = { a: 1, b: untouched, password: 'x', c: [{ installPath: '/p', size: 2 }], d: 4 };
    const out = publicRaw(record, hidden);
    expect(Object.keys(out)).toEqual(['a', 'b', 'c', 'd']);
    expect(out.b).toBe(untouched);
    expect(out.c).toEqual([{ size: 2 }]);
    expect(record.c[0]).toEqual({ installPath: '/p', size: 2 });
  });

  it('copies a "__proto__" field from parsed JSON as a field, never as the prototype', () => {
    const record = JSON.parse('{"password":"x","__proto__":{"polluted":true},"name":"n"}') as Record<string, unknown>;
    const out = publicRaw(record, hidden);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'name']);
    // A field like any other: writable and configurable, as an assigned one is.
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')).toEqual({ value: { polluted: true }, enumerable: true, writable: true, configurable: true });
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true},"name":"n"}');
  });

  /** `{"a":{"a":...{"a":leaf}}}` (or arrays) `depth` levels deep, parsed as a provider's answer is. */
  const nested = (depth: number, leaf: string, arrays = false): Record<string, unknown> =>
    JSON.parse(`${(arrays ? '[' : '{"a":').repeat(depth)}${leaf}${(arrays ? ']' : '}').repeat(depth)}`) as Record<string, unknown>;
  const depthOf = (value: unknown): number => (value !== null && typeof value === 'object' ? 1 + depthOf(Object.values(value)[0]) : 0);

  it('cuts a value nested deeper than MAX_RAW_DEPTH, so nothing after it recurses that deep (5,000 levels overflowed the stack)', () => {
    const out = publicRaw({ name: 'n', extra: nested(6_000, '1') }, hidden);
    expect(out.name).toBe('n');
    expect(1 + depthOf(out.extra)).toBe(MAX_RAW_DEPTH);
    expect(JSON.stringify(out)).toContain('"[nested too deep]"');
    expect(publicRaw({ list: nested(6_000, '1', true) }, hidden)).toEqual({ list: expect.anything() });
    expect(JSON.stringify(publicRaw({ list: nested(6_000, '1', true) }, hidden))).toContain(NESTED_TOO_DEEP);
  });

  it('keeps a record exactly MAX_RAW_DEPTH deep whole, and hides nothing less for being deep', () => {
    const deepest = nested(MAX_RAW_DEPTH - 1, '{"password":"x","size":1}');
    expect(depthOf(deepest)).toBe(MAX_RAW_DEPTH);
    const out = publicRaw(deepest, hidden);
    expect(JSON.stringify(out)).not.toContain('password');
    expect(JSON.stringify(out)).toContain('"size":1');
    const clean = nested(MAX_RAW_DEPTH - 1, '{"size":1}');
    expect(publicRaw(clean, hidden)).toBe(clean);
    // One level more: the credential is cut with the level it sits in.
    expect(JSON.stringify(publicRaw(nested(MAX_RAW_DEPTH, '{"password":"x"}'), hidden))).not.toContain('password');
  });
});

describe('a secret with whitespace in it', () => {
  const secrets = new SecretSet();
  secrets.add('correct horse; battery: staple');

  it.each([
    ['a newline for a space', 'refused correct\nhorse; battery: staple'],
    ['tabs and runs of spaces', 'refused correct\t\thorse;   battery: \tstaple'],
    ['JSON escapes for its spaces', '{"error":"refused correct\\nhorse;\\tbattery:\\u0020staple"}'],
    ['a URL escape for a space', 'refused auth=correct%0Ahorse%3B%20battery%3A+staple'],
  ])('is found with %s', (_how, text) => {
    expect(secrets.scrub(text)).toMatch(/^(?:\{"error":")?refused (?:auth=)?\[redacted\](?:"\})?$/);
  });

  it('is found without the whitespace at its ends', () => {
    const padded = new SecretSet();
    padded.add(' s3cret-key\n');
    expect(padded.scrub('{"error":"bad key s3cret-key"}')).toBe('{"error":"bad key [redacted]"}');
  });

  it('is not found in words it only shares; with whitespace taken out, its pieces past its words are (secret-pieces.ts)', () => {
    const text = 'correct horse; battery: stapled? correct horse;battery: staple; correct horse battery';
    expect(secrets.scrub(text)).toBe(`${REDACTED}d? corre${REDACTED}; correct horse battery`);
  });
});

describe('a secret with whitespace in it: which whitespace, and which secrets', () => {
  const scrubbedBy = (secret: string, text: string): string => {
    const set = new SecretSet();
    set.add(secret);
    return set.scrub(text);
  };

  it('two words are found with a newline or a run of spaces for their space', () => {
    expect(scrubbedBy('correct horse', 'refused correct\nhorse')).toBe(`refused ${REDACTED}`);
    expect(scrubbedBy('correct horse', 'refused correct \t horse')).toBe(`refused ${REDACTED}`);
  });

  it('a run of whitespace in the secret is found as one space (an error message makes every run one)', () => {
    expect(scrubbedBy('correct  horse', 'refused correct horse')).toBe(`refused ${REDACTED}`);
    expect(scrubbedBy('correct \n horse', 'refused correct horse')).toBe(`refused ${REDACTED}`);
  });

  it('a secret of six characters with a space (five without) is still found spaced otherwise', () => {
    expect(scrubbedBy('ab cd e', 'refused ab\ncd e')).toBe(`refused ${REDACTED}`);
  });

  it('a secret whose last line ends in whitespace is found without it, down to six characters; shorter is never searched', () => {
    expect(scrubbedBy(' abcdef\n', 'bad key abcdef')).toBe(`bad key ${REDACTED}`);
    // Six characters configured, four once trimmed: "abcd" would mangle every answer.
    expect(scrubbedBy(' abcd ', 'bad key abcd, abcde')).toBe('bad key abcd, abcde');
    expect(scrubbedBy(' ab c ', 'bad key ab c')).toBe('bad key ab c');
  });

  it('a secret with no whitespace to be flexible about leaves every other word alone, JSON nulls included', () => {
    const answer = '{"note":null,"name":"null","key":"s3cret-key"}';
    expect(scrubbedBy('s3cret-key', answer)).toBe('{"note":null,"name":"null","key":"[redacted]"}');
    // Behind escapes too.
    expect(scrubbedBy('s3cret-key', '{"note":"\\u006eull","key":"s3cret\\u002dkey"}')).toBe('{"note":"\\u006eull","key":"[redacted]"}');
  });
});

describe('SecretSet: hex secrets in the other case', () => {
  it('finds a hex secret whose first letter comes late, or that holds no digit, quoted in the other case', () => {
    const set = new SecretSet();
    set.add('0123456789abcdef');
    set.add('deadbeefcafe');
    expect(set.scrub('hash 0123456789ABCDEF')).toBe(`hash ${REDACTED}`);
    expect(set.scrub('token DEADBEEFCAFE')).toBe(`token ${REDACTED}`);
  });
});

describe('SecretSet run-time tokens: a token handed out again', () => {
  it('takes no second slot (the oldest stays), and stays the newest through the next logins', () => {
    const set = new SecretSet();
    const tokens = ['token-1-abcdef', 'token-2-abcdef', 'token-3-abcdef', 'token-4-abcdef'];
    for (const token of tokens) set.addRuntime(token);
    // A login hands out token 2 again: still four held, token 1 among them.
    set.addRuntime('token-2-abcdef');
    expect(set.scrub(tokens.join(' '))).toBe(Array(4).fill(REDACTED).join(' '));
    set.addRuntime('token-5-abcdef');
    set.addRuntime('token-6-abcdef');
    // Tokens 1 and 3 pushed out; token 2, made the newest, held.
    expect(set.scrub('token-1-abcdef token-2-abcdef token-3-abcdef')).toBe(`token-1-abcdef ${REDACTED} token-3-abcdef`);
  });
});
