import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UnusableNativeId } from '../../src/domain/unusable-native-id.js';
import { writeOnListed } from '../../src/gateway/listed-target.js';
import { definitionNameSegment } from '../../src/providers/danube/definition-name.js';
import { taskSegment } from '../../src/providers/danube/task-id.js';
import { billingId } from '../../src/providers/zomro/billing-id.js';

/** Ids and names checked before they go into a provider's URL, by plain calls. */
const refusal = (call: () => unknown): unknown => {
  try {
    call();
  } catch (error) {
    return error;
  }
  return null;
};
const codeAndMessage = (error: unknown): [string, string] | null => (error instanceof GatewayError ? [error.code, error.message] : null);

describe('taskSegment', () => {
  it('takes a Danube task id, encoded for the path', () => {
    expect(taskSegment('1e1-6f75849b-11b8-4bf1-8f66')).toBe('1e1-6f75849b-11b8-4bf1-8f66');
    expect(taskSegment('0-a.B_c:d')).toBe('0-a.B_c%3Ad');
    expect(taskSegment('Z')).toBe('Z');
    expect(taskSegment(`a${'1'.repeat(127)}`)).toHaveLength(128);
  });

  it('refuses anything else before any call, in words about the operation id', () => {
    for (const id of ['', '-1', '.x', ':x', 'a;b', 'a,b', 'a%2Fb', 'a\n', '\na', 'a b', 'a\uff0eb', 'é', `a${'1'.repeat(128)}`]) {
      expect(codeAndMessage(refusal(() => taskSegment(id))), JSON.stringify(id)).toEqual(['BAD_USER_INPUT', 'operation id names no Danube task: send an operation id as the gateway answered it']);
    }
  });
});

describe('billingId', () => {
  it('takes a BILLmanager integer as written', () => {
    for (const id of ['0', '14', '5203773', `9${'0'.repeat(17)}`]) expect(billingId(id)).toBe(id);
  });

  it('answers NOT_FOUND for anything else, before any call', () => {
    for (const id of ['', '05203773', '00', `1${'0'.repeat(18)}`, '5203773,5203774', '1&sok=ok', ' 1', '1\n', '\uff11', '-1', '1.0']) {
      const error = refusal(() => billingId(id));
      expect(error instanceof GatewayError ? [error.code, error.message, error.details] : error, JSON.stringify(id)).toEqual(['NOT_FOUND', 'object not found', {}]);
    }
  });
});

describe('definitionNameSegment', () => {
  it('takes a name with dots or other text, encoded for the path', () => {
    expect(definitionNameSegment('daily', 'definitionName')).toBe('daily');
    expect(definitionNameSegment('...', 'definitionName')).toBe('...');
    expect(definitionNameSegment('.a', 'name')).toBe('.a');
    expect(definitionNameSegment('a b%', 'name')).toBe('a%20b%25');
  });

  it('refuses "." and ".." and a name holding a path\'s separators, naming the field', () => {
    for (const name of ['.', '..', 'a/b', '/', 'a?b', 'a#b', 'a\\b']) {
      expect(codeAndMessage(refusal(() => definitionNameSegment(name, 'definitionName'))), name).toEqual([
        'BAD_USER_INPUT',
        'definitionName must not be "." or ".." nor hold "/", "?", "#" or "\\": Danube takes a backup definition\'s name in its URL',
      ]);
    }
  });
});

describe('writeOnListed', () => {
  it('answers the write\'s value, and its other failures as they are', async () => {
    await expect(writeOnListed('danube', async () => 'done')).resolves.toBe('done');
    const failure = new GatewayError('NOT_FOUND', 'no such VM');
    await expect(writeOnListed('danube', () => Promise.reject(failure))).rejects.toBe(failure);
  });

  it('blames the provider for an id its own list named', async () => {
    const unusable = new UnusableNativeId('not a valid Danube hostname', 'listed a VM whose hostname cannot be used in a URL');
    const failed: unknown = await writeOnListed('danube-1', () => Promise.reject(unusable)).catch((error: unknown) => error);
    expect(failed instanceof GatewayError ? [failed.code, failed.message, failed.details] : failed).toEqual([
      'PROVIDER_ERROR',
      'provider danube-1 listed a VM whose hostname cannot be used in a URL',
      { provider: 'danube-1', providerCode: 'INVALID_RESPONSE' },
    ]);
  });
});
