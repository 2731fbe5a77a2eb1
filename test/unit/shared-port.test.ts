import { describe, expect, it } from 'vitest';
import { loadConfigObject } from '../../src/config/load.js';
import { sharedPortProblem } from '../../src/config/shared-port.js';
import { adminPortVariable } from '../../src/config/admin-port-variable.js';

const zomro = { id: 'zomro-nl', kind: 'zomro', url: 'https://api.zomro.com/', auth: { token: 't0ken' } };
/** A loaded config with these ports as the file wrote them (a `${NAME}` read from `env`). */
const loaded = (listen: unknown, admin: unknown, env: NodeJS.ProcessEnv = {}) =>
  loadConfigObject({ allowAnonymous: true, providers: [zomro], listen: { port: listen }, admin: { port: admin } }, env);

/** Neither PORT nor HOST set. */
const NO_ENV = { port: undefined, host: undefined };

const NEEDS_OWN = 'the admin listener (/metrics, the detailed /readyz) needs a port of its own';

/** The public and admin listeners given one port, read before either binds (start and --check-config). */
describe('sharedPortProblem', () => {
  it('names the port, listen.port and admin.port where the file gives both one number', () => {
    expect(sharedPortProblem(loaded(4100, 4100), NO_ENV)).toBe(`admin.port: 4100 is also the public port (listen.port): ${NEEDS_OWN}; choose another admin.port`);
  });

  it('reads the public port from PORT over listen.port, and names PORT', () => {
    expect(sharedPortProblem(loaded(4000, 4100), { port: 4100, host: undefined })).toBe(`admin.port: 4100 is also the public port (PORT): ${NEEDS_OWN}; choose another admin.port`);
    expect(sharedPortProblem(loaded(4100, 4200), { port: 4000, host: undefined })).toBeUndefined();
    expect(sharedPortProblem(loaded(4100, 4100), { port: 4000, host: undefined })).toBeUndefined();
  });

  it('names the variable admin.port read, not the shared file, where it was a ${NAME}', () => {
    expect(sharedPortProblem(loaded(4100, '${ADMIN_PORT}', { ADMIN_PORT: '4100' }), NO_ENV)).toBe(
      `admin.port: 4100 is also the public port (listen.port): ${NEEDS_OWN}; give ADMIN_PORT another value (the config's admin.port reads it)`,
    );
  });

  it('where admin.port and listen.port read one variable, says to give admin.port its own (changing it would move both)', () => {
    expect(sharedPortProblem(loaded('${P}', '${P}', { P: '4100' }), NO_ENV)).toBe(
      `admin.port: 4100 is also the public port (listen.port): ${NEEDS_OWN}; admin.port and listen.port both read P: give admin.port a variable of its own`,
    );
    // Two variables of one value: either may change.
    expect(sharedPortProblem(loaded('${P}', '${ADMIN_PORT}', { P: '4100', ADMIN_PORT: '4100' }), NO_ENV)).toContain('give ADMIN_PORT another value');
  });

  it('still names the variables on copies of the loaded sections ({ ...config.admin }, as listenOverrides copies listen)', () => {
    const config = loaded('${P}', '${P}', { P: '4100' });
    const copied = { listen: { ...config.listen }, admin: { ...config.admin } };
    expect(sharedPortProblem(copied, NO_ENV)).toBe(
      `admin.port: 4100 is also the public port (listen.port): ${NEEDS_OWN}; admin.port and listen.port both read P: give admin.port a variable of its own`,
    );
    expect(adminPortVariable({ ...loaded(4000, '${ADMIN_PORT}', { ADMIN_PORT: '9465' }).admin })).toBe('ADMIN_PORT');
  });

  it('finds nothing where the ports differ, or both are 0 (any free port for each)', () => {
    expect(sharedPortProblem(loaded(4000, 4100), NO_ENV)).toBeUndefined();
    expect(sharedPortProblem(loaded(0, 0), NO_ENV)).toBeUndefined();
    expect(sharedPortProblem(loaded(4000, 0), { port: 0, host: undefined })).toBeUndefined();
  });
});
