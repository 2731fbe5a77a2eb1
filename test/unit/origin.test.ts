import { describe, expect, it } from 'vitest';
import { fromAnotherOrigin } from '../../src/server/origin.js';

describe('fromAnotherOrigin', () => {
  it('is false without an Origin (no browser: curl, a service, graphql-ws in node)', () => {
    expect(fromAnotherOrigin({ host: 'gateway.example:4000' })).toBe(false);
    expect(fromAnotherOrigin({})).toBe(false);
  });

  it('is false for a page of the gateway’s own origin, default ports written or not, host in any case', () => {
    expect(fromAnotherOrigin({ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' })).toBe(false);
    expect(fromAnotherOrigin({ origin: 'https://backups.example.com', host: 'backups.example.com' })).toBe(false);
    expect(fromAnotherOrigin({ origin: 'https://backups.example.com', host: 'backups.example.com:443' })).toBe(false);
    expect(fromAnotherOrigin({ origin: 'http://backups.example.com:80', host: 'backups.example.com' })).toBe(false);
    expect(fromAnotherOrigin({ origin: 'http://Backups.Example.com', host: 'backups.example.COM' })).toBe(false);
    expect(fromAnotherOrigin({ origin: 'http://[::1]:4000', host: '[::1]:4000' })).toBe(false);
  });

  it('is true for another host, another port, or another scheme’s default port', () => {
    expect(fromAnotherOrigin({ origin: 'https://evil.example', host: '127.0.0.1:4000' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'http://127.0.0.1:8999', host: '127.0.0.1:4000' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'http://localhost:4000', host: '127.0.0.1:4000' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'https://backups.example.com', host: 'backups.example.com:80' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'http://backups.example.com.evil.example', host: 'backups.example.com' })).toBe(true);
  });

  it('is true for an Origin it cannot read, `null`, or a request without a Host', () => {
    expect(fromAnotherOrigin({ origin: 'null', host: '127.0.0.1:4000' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'not a url', host: '127.0.0.1:4000' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'http://127.0.0.1:4000' })).toBe(true);
    // Not read as the host "undefined".
    expect(fromAnotherOrigin({ origin: 'http://undefined' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'http://127.0.0.1:4000', host: '' })).toBe(true);
    expect(fromAnotherOrigin({ origin: 'http://127.0.0.1:4000', host: 'bad host/x' })).toBe(true);
  });
});
