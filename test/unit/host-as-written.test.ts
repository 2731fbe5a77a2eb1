import { describe, expect, it } from 'vitest';
import { sentToNameAsWritten, type AddressedRequest, type HostCheck } from '../../src/server/host-as-written.js';
import { sentToLoopbackName } from '../../src/server/loopback-host.js';

/** The rule alone (sentToNameAsWritten), by plain calls: what admin, anonymous and demo guards refuse alike. */
const request = (host: string | undefined, url = '/graphql', rawHost: readonly string[] = host === undefined ? [] : ['Host', host]): AddressedRequest => ({
  headers: host === undefined ? {} : { host },
  rawHeaders: ['Accept', '*/*', ...rawHost],
  url,
});
const anyName: HostCheck = () => true;

describe('sentToNameAsWritten', () => {
  it('answers a name, a dotted IPv4 address or a bracketed IPv6 address, with a port, as the check decides', () => {
    for (const host of ['localhost', 'localhost:4000', 'localhost.', 'app.localhost:4000', '127.0.0.1', '127.0.0.1:4000', '[::1]', '[::1]:4000', '[::ffff:127.0.0.1]', 'a-b.example9', 'LOCALHOST', 'host.1a', 'host.0x7g']) {
      expect(sentToNameAsWritten(request(host), anyName), host).toBe(true);
    }
    expect(sentToNameAsWritten(request('rebind.example'), sentToLoopbackName)).toBe(false);
    expect(sentToNameAsWritten(request('localhost'), sentToLoopbackName)).toBe(true);
  });

  it('refuses an IPv4 address as no client writes it, and a Host that is no name', () => {
    for (const host of ['2130706433', '2130706433:80', '0x7f.1', '127.1', '127.0.1', 'a.0x', 'a.0X7F', 'name.1.', 'localhost:123456', '[::1]:123456', '[zz]', '[127.0.0.1]', 'x[::1]', 'x[::1]:80', 'a_b', 'a b', '']) {
      expect(sentToNameAsWritten(request(host), anyName), host).toBe(false);
    }
    expect(sentToNameAsWritten(request(undefined), anyName)).toBe(false);
  });

  it('refuses two Host lines, in any case, and none; a value "Host" is no line', () => {
    expect(sentToNameAsWritten(request('localhost', '/', ['Host', 'localhost', 'HOST', 'evil.example']), anyName)).toBe(false);
    expect(sentToNameAsWritten(request('localhost', '/', ['host', 'localhost', 'Host', 'localhost']), anyName)).toBe(false);
    expect(sentToNameAsWritten(request('localhost', '/', ['hOsT', 'localhost']), anyName)).toBe(true);
    // Only names count: a header whose value is "Host" is no Host line.
    expect(sentToNameAsWritten({ headers: { host: 'localhost' }, rawHeaders: ['X-Note', 'Host', 'Host', 'localhost'], url: '/' }, anyName)).toBe(true);
    expect(sentToNameAsWritten({ headers: {}, rawHeaders: ['X-Note', 'Host'], url: '/' }, anyName)).toBe(false);
  });

  it('reads an absolute-form target\'s authority as the site: both it and the Host line must pass', () => {
    const asked: string[] = [];
    const loopbackNoted: HostCheck = (headers) => {
      asked.push(headers.host);
      return sentToLoopbackName(headers);
    };
    expect(sentToNameAsWritten(request('127.0.0.1', 'http://localhost:4000/graphql?x=1'), loopbackNoted)).toBe(true);
    expect(asked).toEqual(['127.0.0.1', 'localhost:4000']);
    expect(sentToNameAsWritten(request('127.0.0.1', 'http://evil.example/graphql'), sentToLoopbackName)).toBe(false);
    expect(sentToNameAsWritten(request('127.0.0.1', 'HTTPS://localhost#x'), sentToLoopbackName)).toBe(true);
    expect(sentToNameAsWritten(request('127.0.0.1', 'ws+a.b-c://localhost?q'), sentToLoopbackName)).toBe(true);
    for (const url of ['http://2130706433/metrics', 'http://user@localhost/metrics', 'http:///metrics', 'localhost/metrics', '1http://localhost/', 'x http://localhost/', 'http:/localhost/']) {
      expect(sentToNameAsWritten(request('127.0.0.1', url), anyName), url).toBe(false);
    }
    expect(sentToNameAsWritten(request('127.0.0.1', '*'), anyName)).toBe(true);
    expect(sentToNameAsWritten(request('127.0.0.1', '/metrics?next=http://evil.example/'), anyName)).toBe(true);
  });
});
