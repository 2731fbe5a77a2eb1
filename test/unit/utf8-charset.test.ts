import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { utf8Charset } from '../../src/server/utf8-charset.js';

interface Outcome {
  /** The Content-Type express's JSON parser then reads. */
  header: string | undefined;
  refused?: { message: string; status: number; type: string; charset: string };
}

function check(contentType: string | undefined): Outcome {
  const headers: Record<string, string | undefined> = contentType === undefined ? {} : { 'content-type': contentType };
  const req = { headers } as unknown as Request;
  let passed: unknown = 'not called';
  utf8Charset(req, {} as Response, (error?: unknown) => {
    passed = error;
  });
  expect(passed, 'next called once').not.toBe('not called');
  if (passed === undefined) return { header: headers['content-type'] };
  const { message, status, type, charset } = passed as Error & { status: number; type: string; charset: string };
  return { header: headers['content-type'], refused: { message, status, type, charset } };
}

const refusedAs = (charset: string) => ({ message: `unsupported charset "${charset}"`, status: 415, type: 'charset.unsupported', charset });

describe('utf8Charset (only UTF-8 JSON bodies reach the JSON parser)', () => {
  it('passes a JSON body with no charset, its media type alone', () => {
    expect(check('application/json')).toEqual({ header: 'application/json' });
    expect(check('  Application/JSON ; ')).toEqual({ header: 'Application/JSON' });
    expect(check('application/graphql-response+json')).toEqual({ header: 'application/graphql-response+json' });
    // An empty value names none: read as UTF-8, as the parser did.
    expect(check('application/json; charset=')).toEqual({ header: 'application/json' });
    expect(check('application/json; charset=""')).toEqual({ header: 'application/json' });
  });

  it('passes UTF-8 however it is spelled, as charset=utf-8 alone', () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; CHARSET = "utf-8"', 'application/json; charset=utf8', 'application/json; charset="utf\\-8"', 'application/json; charset=utf-8; charset=UTF8', 'application/json; foo=bar; charset=utf-8']) {
      expect(check(type), type).toEqual({ header: 'application/json; charset=utf-8' });
    }
  });

  it('refuses any other charset with 415, naming it as the parser would read it', () => {
    expect(check('application/json; charset=utf-16le')).toEqual({ header: 'application/json; charset=utf-16le', refused: refusedAs('utf-16le') });
    expect(check('application/json; charset=ISO-8859-1')).toMatchObject({ refused: refusedAs('iso-8859-1') });
    expect(check('application/json; charset="utf\\-16le"')).toMatchObject({ refused: refusedAs('utf-16le') });
    expect(check('application/json; charset="utf-16le')).toMatchObject({ refused: refusedAs('utf-16le') });
    expect(check('application/vnd.api+json; charset=latin1')).toMatchObject({ refused: refusedAs('latin1') });
  });

  it('judges every charset named, first or last', () => {
    expect(check('application/json; charset=utf-16le; charset=utf-8')).toMatchObject({ refused: refusedAs('utf-16le') });
    expect(check('application/json; charset=utf-8; charset=utf-16le')).toMatchObject({ refused: refusedAs('utf-16le') });
    expect(check('application/json; charset=utf-8;charset="utf-32"')).toMatchObject({ refused: refusedAs('utf-32') });
  });

  it('leaves other media types and a request without a type to the routes as they were', () => {
    for (const type of [undefined, 'text/plain; charset=utf-16le', 'application/graphql; charset=utf-16le', 'application/jsonx; charset=utf-16le', 'multipart/form-data; boundary=x', 'xapplication/json; charset=utf-16le']) {
      expect(check(type), String(type)).toEqual({ header: type });
    }
  });
});
