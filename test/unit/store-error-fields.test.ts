import { describe, expect, it } from 'vitest';
import { storeErrorFields } from '../../src/observability/store-error-fields.js';

/**
 * What a store failure leaves in a log line: a failure Redis or ioredis raised is its reason and
 * the names of the commands it failed; anything else keeps its error (and stack), since it may be
 * a fault of the gateway's own. The errors are built as ioredis and redis-errors build theirs.
 */
const named = (name: string, message = 'it failed', fields: Record<string, unknown> = {}): Error => Object.assign(new Error(message), { name, ...fields });
const withCommand = (name: unknown, fields: Record<string, unknown> = {}): Error => Object.assign(new Error(`failed ${String(name)}`), { name: 'ReplyError', command: { name, args: ['a-key', 'a-value'] }, ...fields });

describe('storeErrorFields', () => {
  it("reads each of ioredis's and redis-errors' own classes as Redis's failure", () => {
    for (const name of ['ReplyError', 'AbortError', 'InterruptError', 'ParserError', 'RedisError', 'MaxRetriesPerRequestError', 'ClusterAllFailedError']) {
      expect(storeErrorFields(named(name, `${name} said no`))).toEqual({ reason: `${name} said no` });
    }
  });

  it("reads ioredis's plain errors for a connection gone as Redis's failure, and no other plain error", () => {
    for (const message of ['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false"]) {
      expect(storeErrorFields(new Error(message))).toEqual({ reason: message });
    }
    const own = new Error('Connection is closed');
    expect(storeErrorFields(own)).toEqual({ err: own });
    const typeError = new TypeError('cannot read properties of undefined');
    expect(storeErrorFields(typeError)).toEqual({ err: typeError });
  });

  it('reads an error with a text code, a command or a batch of errors as Redis\'s failure, each alone', () => {
    expect(storeErrorFields(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }))).toEqual({ reason: 'connect ECONNREFUSED 127.0.0.1:6379' });
    expect(storeErrorFields(Object.assign(new Error('a command'), { command: { name: 'get', args: ['k'] } }))).toEqual({ reason: 'a command', commands: ['get'] });
    expect(storeErrorFields(Object.assign(new Error('a batch'), { previousErrors: [] }))).toEqual({ reason: 'a batch' });
    // A code that is no text is no sign: node's own errors and ioredis's carry text codes.
    const numbered = Object.assign(new Error('numbered'), { code: 42 });
    expect(storeErrorFields(numbered)).toEqual({ err: numbered });
  });

  it('keeps what is no Error as it is, whatever fields it has', () => {
    const lookalike = { name: 'ReplyError', message: 'Connection is closed.', code: 'ECONNRESET', command: { name: 'get' }, previousErrors: [] };
    expect(storeErrorFields(lookalike)).toEqual({ err: lookalike });
    expect(storeErrorFields('a string')).toEqual({ err: 'a string' });
    expect(storeErrorFields(null)).toEqual({ err: null });
  });

  it('names the commands of a batch once each, lower case, in order: the error\'s own first', () => {
    const first = withCommand('HSET');
    const second = withCommand('Expire');
    const again = withCommand('hset');
    const batch = withCommand('exec', { previousErrors: [first, null, undefined, 'text', 7, second, again] });
    expect(storeErrorFields(batch)).toEqual({ reason: 'failed exec', commands: ['exec', 'hset', 'expire'] });
    // Errors of a batch inside a batch are read too, each once however often it is listed.
    const inner = withCommand('set', { previousErrors: [withCommand('incr')] });
    const outerBatch: unknown[] = [inner];
    const outer = withCommand('multi', { previousErrors: outerBatch });
    outerBatch.push(outer, inner, first);
    expect(storeErrorFields(outer)).toEqual({ reason: 'failed multi', commands: ['multi', 'set', 'incr', 'hset'] });
  });

  it('lists no command of a batch that is not a list', () => {
    expect(storeErrorFields(withCommand('exec', { previousErrors: { 0: withCommand('get'), length: 1 } }))).toEqual({ reason: 'failed exec', commands: ['exec'] });
  });

  it('names no command whose name is not a plain word of at most 40 characters', () => {
    const word40 = `a${'b'.repeat(39)}`;
    expect(storeErrorFields(withCommand(word40))).toEqual({ reason: `failed ${word40}`, commands: [word40] });
    for (const name of [`${word40}c`, 'get key-name', '1get', 'get\nset', ' get', 'get ', '', 42, undefined]) {
      expect(storeErrorFields(withCommand(name))).toEqual({ reason: `failed ${String(name)}`.split('\n')[0] });
    }
    expect(storeErrorFields(withCommand('a'))).toEqual({ reason: 'failed a', commands: ['a'] });
    expect(storeErrorFields(withCommand('client|setname'))).toEqual({ reason: 'failed client|setname', commands: ['client|setname'] });
    expect(storeErrorFields(withCommand('Json.Set_2-x'))).toEqual({ reason: 'failed Json.Set_2-x', commands: ['json.set_2-x'] });
  });

  it('names at most 10 commands, and reads at most 10 errors of each batch', () => {
    const many = Array.from({ length: 12 }, (_, index) => withCommand(`c${index}`));
    expect(storeErrorFields(withCommand('exec', { previousErrors: many }))).toEqual({ reason: 'failed exec', commands: ['exec', ...Array.from({ length: 9 }, (_, index) => `c${index}`)] });
    // The 11th error of a batch is not read, even where fewer than 10 names were found.
    const repeated = [...Array.from({ length: 10 }, () => withCommand('get')), withCommand('del')];
    expect(storeErrorFields(withCommand('exec', { previousErrors: repeated }))).toEqual({ reason: 'failed exec', commands: ['exec', 'get'] });
  });

  it("gives the reason's first line, at most 200 characters, without a URL's user and password", () => {
    expect(storeErrorFields(named('ReplyError', 'first line\nsecond line\nthird'))).toEqual({ reason: 'first line' });
    expect(storeErrorFields(named('ReplyError', `${'r'.repeat(200)}cut`))).toEqual({ reason: 'r'.repeat(200) });
    expect(storeErrorFields(named('ReplyError', ''))).toEqual({ reason: '' });
    expect(storeErrorFields(named('ReplyError', 'to redis://default:hunter2@10.0.0.1:6379 and REDISS://u:p@h/0 and unix://sock@x failed'))).toEqual({
      reason: 'to redis://[redacted]@10.0.0.1:6379 and REDISS://[redacted]@h/0 and unix://[redacted]@x failed',
    });
    expect(storeErrorFields(named('ReplyError', 'redis://default:hunter2@10.0.0.1:6379 refused'))).toEqual({ reason: 'redis://[redacted]@10.0.0.1:6379 refused' });
    // A path's @ or one after a space is no password: what comes before it stays.
    expect(storeErrorFields(named('ReplyError', 'redis://host/db@x and redis://host name@x'))).toEqual({ reason: 'redis://host/db@x and redis://host name@x' });
    expect(storeErrorFields(named('ReplyError', 'rediss+tls.v2-a://user:pw@host x9://:pw@h'))).toEqual({ reason: 'rediss+tls.v2-a://[redacted]@host x9://[redacted]@h' });
  });
  it('leaves out the arguments Redis 6.2+ quotes after a refused command, with its comma or without, in any case', () => {
    const quoted = "ERR unknown command 'EVALSHA', with args beginning with: 'abc123' '1' 'backup-graph:limits:k' ";
    expect(storeErrorFields(named('ReplyError', quoted))).toEqual({ reason: "ERR unknown command 'EVALSHA' (its arguments left out)" });
    expect(storeErrorFields(named('ReplyError', "ERR unknown command 'evalsha' With Args Beginning With: 'secret-value'"))).toEqual({ reason: "ERR unknown command 'evalsha' (its arguments left out)" });
    // Only the quote's own words start what is left out: a message naming args otherwise is kept whole.
    expect(storeErrorFields(named('ReplyError', 'ERR wrong number of arguments for \'get\' command'))).toEqual({ reason: "ERR wrong number of arguments for 'get' command" });
  });

  it("reads Node's usage codes as the gateway's own fault, its TLS and SSL codes and any other code as Redis's", () => {
    for (const code of ['ERR_INVALID_ARG_TYPE', 'ERR_OUT_OF_RANGE', 'ERR_STREAM_WRITE_AFTER_END']) {
      const usage = Object.assign(new TypeError('a caller mistake'), { code });
      expect(storeErrorFields(usage)).toEqual({ err: usage });
    }
    for (const code of ['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'ECONNRESET', 'NR_CLOSED', 'X_ERR_NOT_NODES']) {
      expect(storeErrorFields(Object.assign(new Error('the connection failed'), { code }))).toEqual({ reason: 'the connection failed' });
    }
  });
});
