import { describe, expect, it } from 'vitest';
import { NOT_A_LOOPBACK_NAME_MESSAGE, sentToLoopbackName } from '../../src/server/loopback-host.js';

describe('sentToLoopbackName', () => {
  it('takes localhost, names under it, 127.0.0.0/8 and [::1], with a port or a trailing dot, in any case', () => {
    for (const host of ['localhost', 'localhost:4000', 'LocalHost.', 'localhost.:4000', 'app.localhost:4000', '127.0.0.1', '127.0.0.1:4000', '127.1.2.3:80', '127.0.0.10:4000', '127.255.255.254', '[::1]:4000', '[::1]']) {
      expect(sentToLoopbackName({ host }), host).toBe(true);
    }
  });

  it('refuses any other name or address, a missing Host and one that is no host', () => {
    for (const host of ['rebind.example', 'rebind.example:4000', 'localhost.example', 'notlocalhost', '127.0.0.1.nip.io', '128.0.0.1', '10.0.0.1:4000', '0.0.0.0', '[::2]', '[::ffff:7f00:1]x', 'a b', '', 'localhost:99999']) {
      expect(sentToLoopbackName({ host }), host).toBe(false);
    }
    expect(sentToLoopbackName({})).toBe(false);
  });

  it('says what it answers and why, in the refusal', () => {
    expect(NOT_A_LOOPBACK_NAME_MESSAGE).toBe('demo mode answers requests to localhost or a loopback address only (Host names another site: DNS rebinding?)');
  });
});
