import { describe, expect, it } from 'vitest';
import type { NextFunction, Request, Response } from 'express';
import { NO_SNIFF_HEADER, NO_SNIFF_LINE, noSniff } from '../../src/server/no-sniff.js';

describe('noSniff', () => {
  it('sets nosniff on the answer, then goes on', () => {
    const headers = new Map<string, string>();
    let wentOn = 0;
    const res = { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as Response;
    noSniff({} as Request, res, (() => wentOn++) as NextFunction);
    expect([...headers]).toEqual([['x-content-type-options', 'nosniff']]);
    expect(wentOn).toBe(1);
  });

  it('writes the same header as a raw line and as a writeHead header', () => {
    expect(NO_SNIFF_LINE).toBe('X-Content-Type-Options: nosniff\r\n');
    expect(NO_SNIFF_HEADER).toEqual({ 'x-content-type-options': 'nosniff' });
  });
});
