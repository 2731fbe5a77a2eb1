import { Writable } from 'node:stream';
import { GraphQLError, Source, buildSchema, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { MAX_ERROR_LINES_PER_REQUEST, createErrorFormatter, formatGraphQLError, logRequestErrors } from '../../src/graphql/errors.js';

const format = createErrorFormatter({ introspection: false });
const formatOpen = createErrorFormatter({ introspection: true });
const source = new Source('{ instances { id } }');

/** An error thrown by a resolver, as graphql-js hands it to Apollo: a located GraphQLError around the original. */
const fromResolver = (original: Error, path: Array<string | number> = ['instances', 0]) =>
  new GraphQLError(original.message, { path, source, positions: [2], originalError: original });

describe('the error formatter', () => {
  it('shows a GatewayError with its code and only the details it has', () => {
    const error = new GatewayError('PROVIDER_ERROR', 'the provider refused', { provider: 'zomro-nl', providerCode: 'SYS.1007' });
    expect(formatGraphQLError(format, fromResolver(error))).toEqual({
      message: 'the provider refused',
      locations: [{ line: 1, column: 3 }],
      path: ['instances', 0],
      extensions: { code: 'PROVIDER_ERROR', provider: 'zomro-nl', providerCode: 'SYS.1007' },
    });
  });

  it('carries capability, retryAfterSeconds (zero too) and refused fields, and leaves out empty ones', () => {
    const unsupported = new GatewayError('UNSUPPORTED', 'no schedules', { provider: 'zstack', capability: 'LIST_SCHEDULES' });
    expect(formatGraphQLError(format, fromResolver(unsupported)).extensions).toEqual({ code: 'UNSUPPORTED', provider: 'zstack', capability: 'LIST_SCHEDULES' });
    const busy = new GatewayError('PROVIDER_UNAVAILABLE', 'busy', { retryAfterSeconds: 0 });
    expect(formatGraphQLError(format, fromResolver(busy)).extensions).toEqual({ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: 0 });
    const refused = new GatewayError('BAD_USER_INPUT', 'refused', { fields: ['name'] });
    expect(formatGraphQLError(format, fromResolver(refused)).extensions).toEqual({ code: 'BAD_USER_INPUT', fields: ['name'] });
    const none = new GatewayError('BAD_USER_INPUT', 'refused', { fields: [], provider: '', providerCode: '' });
    expect(formatGraphQLError(format, fromResolver(none)).extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });

  it('finds a GatewayError behind wrappers (originalError links)', () => {
    const inner = new GatewayError('NOT_FOUND', 'backup not found');
    const wrapped = Object.assign(new Error('wrapper'), { originalError: Object.assign(new Error('wrapper 2'), { originalError: inner }) });
    const formatted = formatGraphQLError(format, fromResolver(wrapped));
    expect(formatted).toMatchObject({ message: 'backup not found', extensions: { code: 'NOT_FOUND' } });
  });

  it('masks anything unexpected as "internal error", keeping where it happened', () => {
    const fault = new TypeError("Cannot read properties of undefined (reading 'id') at https://user:secret@upstream/api");
    expect(formatGraphQLError(format, fromResolver(fault))).toEqual({
      message: 'internal error',
      locations: [{ line: 1, column: 3 }],
      path: ['instances', 0],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    // Also when the error already claims to be internal, or has a code the schema does not list.
    expect(format({ message: 'stack here', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new Error('x'))).toEqual({ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(format({ message: 'odd', extensions: { code: 'SOMETHING_ELSE' } }, new Error('x'))).toEqual({ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    // A GraphQLError that wraps a fault (no path) is a fault, not the client's mistake.
    expect(format({ message: 'boom' }, new GraphQLError('boom', { originalError: new Error('boom') })).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(format({ message: 'boom' }, new Error('boom')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it("keeps a code of the schema's list, and reads Apollo's own codes as BAD_USER_INPUT", () => {
    expect(format({ message: 'no key', extensions: { code: 'UNAUTHENTICATED' } }, new GraphQLError('no key'))).toEqual({ message: 'no key', extensions: { code: 'UNAUTHENTICATED' } });
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']) {
      expect(format({ message: 'bad', extensions: { code } }, new GraphQLError('bad')), code).toEqual({ message: 'bad', extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it("reads graphql-js's own errors (no code, no cause) as the client's mistake", () => {
    const coercion = new GraphQLError('Variable "$first" got invalid value "x"; Int cannot represent non-integer value: "x"');
    expect(formatGraphQLError(format, coercion)).toEqual({ message: coercion.message, extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('reads an error raised while executing (a path, no code, no cause) as the gateway\'s fault, not the client\'s', async () => {
    // As graphql-jit raises it for a null in a non-null field: a GraphQLError with a path and no originalError.
    const schema = buildSchema('type Query { backup: Backup } type Backup { id: ID! }');
    const compiled = compileQuery(schema, parse('{ backup { id } }'));
    if (!isCompiledQuery(compiled)) throw new Error('did not compile');
    const result = await compiled.query({ backup: { id: null } }, {}, {});
    const [nullInNonNull] = result.errors ?? [];
    expect(nullInNonNull?.message).toContain('Cannot return null for non-nullable field Backup.id');
    expect(formatGraphQLError(format, nullInNonNull!)).toEqual({ message: 'internal error', locations: expect.any(Array), path: ['backup', 'id'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('turns a limit refusal into QUERY_TOO_COMPLEX in plain words', () => {
    const depth = new GraphQLError('Syntax Error: Query depth limit of 10 exceeded, found 12.', { source, positions: [0] });
    expect(formatGraphQLError(format, depth)).toEqual({ message: 'Query depth limit of 10 exceeded, found 12 (limits.maxDepth): nest fewer selections in one request.', locations: [{ line: 1, column: 1 }], extensions: { code: 'QUERY_TOO_COMPLEX' } });
    const tokens = new GraphQLError('Syntax Error: Document contains more than 100 tokens. Parsing aborted.');
    expect(formatGraphQLError(format, tokens)).toEqual({ message: 'Token limit of 100 exceeded: send a shorter document.', extensions: { code: 'QUERY_TOO_COMPLEX' } });
  });

  it('strips "Did you mean" hints when introspection is off, keeps them when it is on', () => {
    const hint = 'Cannot query field "instance" on type "Query". Did you mean "instances"?';
    expect(format({ message: hint, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError(hint)).message).toBe('Cannot query field "instance" on type "Query".');
    const two = 'Value "ZOMR" does not exist in "Kind" enum. Did you mean the enum value "ZOMRO"? Did you mean "X"? And more.';
    expect(format({ message: two }, new GraphQLError(two)).message).toBe('Value "ZOMR" does not exist in "Kind" enum. And more.');
    expect(formatOpen({ message: hint, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, new GraphQLError(hint)).message).toBe(hint);
  });
});

describe('request error logs', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    return { lines, logger: pino({ level: 'info' }, stream) };
  }

  it('logs a fault at error level with its full cause, and a client mistake at info with its code', async () => {
    const { lines, logger } = capture();
    const fault = new TypeError('undefined is not a function');
    const refused = new GatewayError('FORBIDDEN', 'createBackup needs the operator role');
    logRequestErrors(logger, format, 'req-1', [fromResolver(fault, ['a']), fromResolver(refused, ['b']), new GraphQLError('no path')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 50, requestId: 'req-1', path: ['a'], msg: 'unexpected error while serving a request', err: { type: 'TypeError', message: 'undefined is not a function' } });
    expect(lines[1]).toMatchObject({ level: 30, requestId: 'req-1', code: 'FORBIDDEN', message: 'createBackup needs the operator role', path: ['b'], msg: 'request answered with an error' });
    expect(lines[2]).toMatchObject({ level: 30, code: 'BAD_USER_INPUT', message: 'no path' });
    expect(lines[2]).not.toHaveProperty('path');
  });

  it('logs the first 20 faults one by one and counts the rest in one error line, apart from the client mistakes', async () => {
    const { lines, logger } = capture();
    const faults = Array.from({ length: 30 }, (_, index) => fromResolver(new TypeError(`fault ${index}`), [`a${index}`]));
    const mistakes = Array.from({ length: 25 }, (_, index) => fromResolver(new GatewayError('NOT_FOUND', 'backup not found'), [`b${index}`]));
    logRequestErrors(logger, format, 'req-2', [...mistakes, ...faults]);
    await new Promise((resolve) => setImmediate(resolve));
    const oneByOne = lines.filter((line) => line.msg === 'unexpected error while serving a request');
    expect(oneByOne).toHaveLength(MAX_ERROR_LINES_PER_REQUEST);
    expect(oneByOne.map((line) => line.path)).toEqual(Array.from({ length: MAX_ERROR_LINES_PER_REQUEST }, (_, index) => [`a${index}`]));
    expect(lines.filter((line) => line.msg === 'more unexpected errors while serving the request, not logged one by one')).toEqual([
      expect.objectContaining({ level: 50, requestId: 'req-2', more: 30 - MAX_ERROR_LINES_PER_REQUEST }),
    ]);
    expect(lines.filter((line) => line.msg === 'request answered with an error')).toHaveLength(MAX_ERROR_LINES_PER_REQUEST);
    expect(lines.filter((line) => line.msg === 'request answered with more errors, not logged one by one')).toEqual([
      expect.objectContaining({ level: 30, more: 25 - MAX_ERROR_LINES_PER_REQUEST, codes: { NOT_FOUND: 25 - MAX_ERROR_LINES_PER_REQUEST } }),
    ]);
    expect(lines).toHaveLength(2 * MAX_ERROR_LINES_PER_REQUEST + 2);
  });
});
