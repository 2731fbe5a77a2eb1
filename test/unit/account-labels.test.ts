import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { accountLabel, clientLabel, withAccountLabels } from '../../src/config/account-labels.js';
import { yamlProblem } from '../../src/config/yaml-problem.js';

/** How config problems name an account (account-labels.ts) and word YAML's refusal (yaml-problem.ts), by plain calls. */
describe('accountLabel', () => {
  it('names an account by its id where that tells it apart, else by its place counted from one', () => {
    const providers = [{ id: 'flex' }, { id: 'dup' }, { id: 'dup' }, { id: 'Not Usable' }, {}, null, 'text', { id: 7 }, { id: 'a'.repeat(65) }, { id: 'z-9' }];
    expect(providers.map((_, index) => accountLabel(providers, index))).toEqual([
      'account flex',
      'the 2nd provider',
      'the 3rd provider',
      'the 4th provider',
      'the 5th provider',
      'the 6th provider',
      'the 7th provider',
      'the 8th provider',
      'the 9th provider',
      'account z-9',
    ]);
    expect(accountLabel([{ id: 'a'.repeat(64) }], 0)).toBe(`account ${'a'.repeat(64)}`);
    expect(accountLabel([], 3)).toBe('the 4th provider');
    expect([9, 19, 110].map((index) => accountLabel([], index))).toEqual(['the 10th provider', 'the 20th provider', 'the 111th provider']);
  });
});

describe('clientLabel', () => {
  it('names a client by its name where that is a plain word no other client has and not its own key, else by its place counted from one', () => {
    const clients = [{ name: 'ops' }, { name: 'dup' }, { name: 'dup' }, { name: 'has space' }, {}, null, { name: 7 }, { name: 'k'.repeat(65) }, { name: 'ci.deploy@example' }, { name: 'same-as-its-key-0123', key: 'same-as-its-key-0123' }];
    expect(clients.map((_, index) => clientLabel(clients, index))).toEqual([
      'client ops',
      'the 2nd client',
      'the 3rd client',
      'the 4th client',
      'the 5th client',
      'the 6th client',
      'the 7th client',
      'the 8th client',
      'client ci.deploy@example',
      'the 10th client',
    ]);
    expect(clientLabel([], 1)).toBe('the 2nd client');
  });

  it('quotes no name that is a credential of the config: another client\'s key, a provider secret', () => {
    const key = 'ops-key-0123456789abcdef';
    const token = 'onapp-api-key-fedcba9876543210';
    const clients = [{ name: 'ops', key }, { name: key, key: 'x'.repeat(20) }, { name: token }, { name: 'admin' }];
    const providers = [{ kind: 'onapp', id: 'flex', auth: { username: 'admin', password: token } }, { kind: 'unknown-kind', auth: { anything: 'ops' } }];
    const labels = clients.map((_, index) => clientLabel(clients, index, providers));
    // 'ops' is an auth value of a kind the gateway does not know (any may be a secret); OnApp's username is no secret.
    expect(labels).toEqual(['the 1st client', 'the 2nd client', 'the 3rd client', 'client admin']);
    const problems = withAccountLabels(['clients[1].roles: required', 'clients[2].roles: required'], { clients, providers });
    for (const line of problems) {
      expect(line).not.toContain(key);
      expect(line).not.toContain(token);
    }
  });
  it('reads any provider entry a config that failed its schema holds: null, a text, a kind no module has or a list, an auth of text', () => {
    const secret = 'pasted-token-0123456789';
    const clients = [{ name: secret }, { name: 'ops' }];
    // A kind named as Object's own properties, or one written as a list, is a kind the gateway does not know: each auth value may be a secret.
    for (const provider of [{ kind: 'constructor', auth: { pasted: secret } }, { kind: '__proto__', auth: { pasted: secret } }, { kind: ['onapp'], auth: { pasted: secret } }]) {
      expect(clientLabel(clients, 0, [null, 'text', { kind: 'onapp', auth: 'text' }, provider]), JSON.stringify(provider)).toBe('the 1st client');
    }
    expect(clientLabel(clients, 1, [null, 'text', { kind: 'constructor', auth: { pasted: secret } }])).toBe('client ops');
  });

});

describe('withAccountLabels', () => {
  const config = { providers: [{ id: 'flex' }, {}] };

  it('puts the account\'s name after the key path of each provider problem', () => {
    expect(withAccountLabels(['providers[0].auth.password: must not be empty', 'providers[1]: unknown key "x"', 'providers[0].url: bad\nsecond line', 'providers[10].id: required'], config)).toEqual([
      'providers[0].auth.password (account flex): must not be empty',
      'providers[1] (the 2nd provider): unknown key "x"',
      'providers[0].url (account flex): bad\nsecond line',
      'providers[10].id (the 11th provider): required',
    ]);
  });

  it('puts the client\'s name after the key path of each client problem', () => {
    const withClients = { clients: [{ name: 'dashboard' }, { key: 'k'.repeat(20) }] };
    expect(withAccountLabels(['clients[0].key: must be at least 16 characters', 'clients[1].name: required', 'clients[0].providers[1]: no provider has id "x"', 'clients: required'], withClients)).toEqual([
      'clients[0].key (client dashboard): must be at least 16 characters',
      'clients[1].name (the 2nd client): required',
      'clients[0].providers[1] (client dashboard): no provider has id "x"',
      'clients: required',
    ]);
    expect(withAccountLabels(['clients[2].roles: required'], config)).toEqual(['clients[2].roles (the 3rd client): required']);
  });

  it('leaves other lines as they are, and counts places where the config has no providers list', () => {
    const others = ['providers: must be a list', 'x providers[0].url: y', 'x clients[0].key: y', 'providers[0] url: no colon after the path', 'providers[a].url: x'];
    expect(withAccountLabels(others, config)).toEqual(others);
    for (const input of [null, 'text', { providers: 'x' }, {}]) {
      expect(withAccountLabels(['providers[1].id: required'], input), JSON.stringify(input)).toEqual(['providers[1].id (the 2nd provider): required']);
    }
  });
});

describe('yamlProblem', () => {
  const refusal = (text: string): unknown => {
    try {
      parse(text);
    } catch (error) {
      return error;
    }
    return null;
  };

  it('names the file, line and column, in YAML\'s first words without its position or quote', () => {
    const text = 'providers:\n  - id: a\n   kind: zomro\n';
    expect(yamlProblem('bg.yaml', text, refusal(text))).toBe('bg.yaml:3:1: not valid YAML: Sequence item without - indicator: line 3 is indented unlike the keys above it in its block: indent the keys of one block (a list entry\'s under its "- ") by the same number of spaces');
  });

  it('says to indent with spaces where a tab indents', () => {
    const text = 'a:\n\tb: 1\n';
    expect(yamlProblem('bg.yaml', text, refusal(text))).toMatch(/^bg\.yaml:2:1: not valid YAML: .*: indent with spaces \(an editor set to insert tabs wrote this one\)$/);
  });

  it('names the file alone for an error with no position, and for a throw that is no Error', () => {
    expect(yamlProblem('bg.yaml', 'a: 1', new Error('it broke at line 12, column 5:\nquoted secret'))).toBe('bg.yaml: not valid YAML: it broke');
    expect(yamlProblem('bg.yaml', 'a: 1', new Error('it broke at line 3, column 15'))).toBe('bg.yaml: not valid YAML: it broke');
    expect(yamlProblem('bg.yaml', 'a: 1', new Error('why:'))).toBe('bg.yaml: not valid YAML: why');
    expect(yamlProblem('bg.yaml', 'a: 1', 'text')).toBe('bg.yaml: not valid YAML');
  });
});
