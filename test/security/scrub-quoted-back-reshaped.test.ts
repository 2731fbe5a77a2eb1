import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * A hostile Danube front logs the gateway in with a password holding punctuation, hands it a
 * login token of letters and digits, and answers every other call with an error body of its
 * choosing that quotes them back reshaped: the password with other punctuation (or spaces) in
 * place of its own, the token in groups with a space beside the dash, either of them in hex, the
 * password in halves in two fields of one error. What a client (the GraphQL answer, the failure's
 * message) and the log see is checked.
 */
const PASSWORD = 'Secret-Key-42';
const LONG_PASSWORD = 'Vault-Dnb7Kq8R-w2Zx4LmT';
const WORDS_PASSWORD = 'correcthorsebatterystaple';
const TOKEN = 'Hq3vTz8KpW2nLx7RbY4mCd9s';

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

interface Hostile {
  harness: Harness;
  front: Server;
  logins: string[];
  body: Record<string, unknown>;
}

async function startHostile(password: string): Promise<Hostile> {
  const hostile = { logins: [] as string[], body: {} as Record<string, unknown> } as Hostile;
  hostile.front = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if ((req.url ?? '').includes('/accounts/login')) {
        hostile.logins.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token: TOKEN }));
        return;
      }
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(hostile.body));
    });
  });
  await new Promise<void>((resolve) => hostile.front.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(hostile.front.address() as AddressInfo).port}`;
  hostile.harness = await startHarness({ kinds: ['danube'], configure: withAccountCopy('danube', { id: 'danube-hostile', url, retries: 0, auth: { username: 'ops', password } }) });
  return hostile;
}

async function stopHostile(hostile: Hostile | undefined): Promise<void> {
  await hostile?.harness?.close();
  hostile?.front?.closeAllConnections();
  await new Promise<void>((resolve) => (hostile?.front ? hostile.front.close(() => resolve()) : resolve()));
}

/** The failure's message a client gets for an error body, and every text that went out with it: the answer and the log lines. */
async function errorFor(hostile: Hostile, body: Record<string, unknown>): Promise<{ message: string; texts: string[] }> {
  hostile.body = body;
  const logsBefore = hostile.harness.logs.length;
  const result = await hostile.harness.gql<{ instances: { providerErrors: Array<{ message: string }> } }>('{ instances(providerId: "danube-hostile") { providerErrors { message } } }');
  const message = result.data?.instances.providerErrors[0]?.message ?? '';
  expect(message).not.toBe('');
  return { message, texts: [result.text, ...hostile.harness.logs.slice(logsBefore)] };
}

describe('a password holding punctuation, and a login token, quoted back reshaped', () => {
  let hostile: Hostile;
  beforeAll(async () => {
    hostile = await startHostile(PASSWORD);
  });
  afterAll(() => stopHostile(hostile));

  it.each(['Secret_Key_42', 'Secret.Key.42', 'Secret Key 42', 'secret/key/42', 'SECRET:KEY:42', 'SecretKey42'])('redacts the password quoted as %j', async (quoted) => {
    const { message, texts } = await errorFor(hostile, { detail: `Invalid password ${quoted} for ops` });
    expect(hostile.logins.join()).toContain(PASSWORD);
    expect(message).toBe('Invalid password [redacted] for ops');
    for (const text of texts) expect(text, text).not.toContain(quoted);
  });

  it('still leaves the words "secret key" alone, and a number beside them', async () => {
    const { message } = await errorFor(hostile, { detail: 'The secret key was rotated: key 42 and secret_keys apply' });
    expect(message).toBe('The secret key was rotated: key 42 and secret_keys apply');
  });

  it.each([
    ['a space before a dash', `${TOKEN.slice(0, 4)}-${TOKEN.slice(4, 8)}-${TOKEN.slice(8, 12)}-${TOKEN.slice(12, 16)}-${TOKEN.slice(16, 20)} -${TOKEN.slice(20)}`],
    ['a space after a dash', `${TOKEN.slice(0, 20)}- ${TOKEN.slice(20)}`],
    ['spaces around a slash', `${TOKEN.slice(0, 12)} / ${TOKEN.slice(12, 21)} / ${TOKEN.slice(21)}`],
  ])('redacts the login token in groups with %s, none of its characters left after', async (_how, quoted) => {
    const { message, texts } = await errorFor(hostile, { detail: `Invalid token ${quoted} for ops` });
    expect(message).toBe('Invalid token [redacted] for ops');
    for (const text of texts) expect(text, text).not.toContain(TOKEN.slice(21));
  });

  it.each([
    ['the password in small-letter hex', hex(PASSWORD)],
    ['the password in capital hex', hex(PASSWORD).toUpperCase()],
    ['the token in hex', hex(TOKEN)],
    ['the login body in hex', hex(`{"username":"ops","password":"${PASSWORD}"}`)],
  ])('redacts %s', async (_how, quoted) => {
    const { texts } = await errorFor(hostile, { detail: `Refused request ${quoted}` });
    for (const text of texts) {
      expect(text.toLowerCase(), text).not.toContain(hex(PASSWORD).slice(4, 20));
      expect(text.toLowerCase(), text).not.toContain(hex(TOKEN).slice(4, 20));
    }
  });
});

/** Each password in halves in two fields, with `detail` (read alone) or without (the fields joined into the message). */
describe.each([LONG_PASSWORD, WORDS_PASSWORD])('the password %j in halves in two fields of one Danube error', (password) => {
  let hostile: Hostile;
  const half = Math.ceil(password.length / 2);
  const [head, tail] = [password.slice(0, half), password.slice(half)];
  beforeAll(async () => {
    hostile = await startHostile(password);
  });
  afterAll(() => stopHostile(hostile));

  it.each([
    ['beside a detail, which is read alone', { detail: `Invalid password ${head}`, hint: tail }],
    ['with no detail: the fields are joined into the message', { password_start: head, password_end: tail }],
    ['with no detail, in the other order', { password_end: tail, password_start: head }],
  ])('reaches neither the client nor the log: %s', async (_how, body) => {
    const { message, texts } = await errorFor(hostile, body);
    expect(hostile.logins.join()).toContain(password);
    expect(message).toContain('[redacted]');
    for (const text of texts) {
      expect(text, text).not.toContain(head);
      expect(text, text).not.toContain(tail);
    }
  });
});
