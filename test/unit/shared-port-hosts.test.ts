import { describe, expect, it } from 'vitest';
import { loadConfigObject } from '../../src/config/load.js';
import { sharedPortProblem } from '../../src/config/shared-port.js';

const PROVIDERS = [{ id: 'z', kind: 'zomro', url: 'http://127.0.0.1:9/', auth: { token: 'zomro-token' } }];
const NO_ENV = { port: undefined, host: undefined };

const configOf = (listen: { port: number; host: string }, admin: { port: number | string; host: string }, env: NodeJS.ProcessEnv = {}) =>
  loadConfigObject({ allowAnonymous: true, listen, admin, providers: PROVIDERS }, env);

describe('the public port given as the admin port: refused only where the two listeners would meet', () => {
  it('refuses one port on one host, naming listen.port', () => {
    expect(sharedPortProblem(configOf({ port: 9464, host: '127.0.0.1' }, { port: 9464, host: '127.0.0.1' }), NO_ENV)).toBe(
      'admin.port: 9464 is also the public port (listen.port): the admin listener (/metrics, the detailed /readyz) needs a port of its own; choose another admin.port',
    );
  });

  it('refuses one port where either host is every interface (0.0.0.0, ::): the wildcard holds the other address', () => {
    expect(sharedPortProblem(configOf({ port: 9464, host: '0.0.0.0' }, { port: 9464, host: '127.0.0.1' }), NO_ENV)).toMatch(/^admin\.port: 9464 is also the public port/);
    expect(sharedPortProblem(configOf({ port: 9464, host: '10.0.0.5' }, { port: 9464, host: '::' }), NO_ENV)).toMatch(/^admin\.port: 9464 is also the public port/);
  });

  it('takes one port on two different addresses: each binds it (the start succeeded, and must not be refused)', () => {
    expect(sharedPortProblem(configOf({ port: 9464, host: '10.0.0.5' }, { port: 9464, host: '127.0.0.1' }), NO_ENV)).toBeUndefined();
  });

  it('reads HOST and PORT as the start does: HOST moving the public listener off the admin address takes the port', () => {
    const config = configOf({ port: 8080, host: '127.0.0.1' }, { port: 9464, host: '127.0.0.1' });
    expect(sharedPortProblem(config, { port: 9464, host: '10.0.0.5' })).toBeUndefined();
    expect(sharedPortProblem(config, { port: 9464, host: undefined })).toMatch(/\(PORT\)/);
  });

  it('names the variable admin.port read, and never refuses two zeros (any free port each)', () => {
    const fromVariable = configOf({ port: 8080, host: '0.0.0.0' }, { port: '${ADMIN_PORT}', host: '127.0.0.1' }, { ADMIN_PORT: '8080' });
    expect(sharedPortProblem(fromVariable, NO_ENV)).toMatch(/; give ADMIN_PORT another value \(the config's admin\.port reads it\)$/);
    expect(sharedPortProblem(configOf({ port: 0, host: '127.0.0.1' }, { port: 0, host: '127.0.0.1' }), NO_ENV)).toBeUndefined();
  });
});
