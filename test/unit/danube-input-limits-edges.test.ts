import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import type { ProviderInputField } from '../../src/providers/adapter.js';
import { refuseDanubeInput } from '../../src/providers/danube/input-limits.js';

const definitionName = (value: string, argument = 'definitionName'): ProviderInputField => ({ argument, kind: 'DEFINITION_NAME', value });
const backupNode = (value: string, argument = 'node'): ProviderInputField => ({ argument, kind: 'BACKUP_NODE', value });

/** The error refuseDanubeInput threw, or undefined where it threw none. */
function refusal(fields: readonly ProviderInputField[]): GatewayError | undefined {
  try {
    refuseDanubeInput('danube-a', fields);
    return undefined;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
}

/** A hostname of `length` characters whose labels are 60 long or less. */
function hostnameOf(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 61) {
    labels.push('n'.repeat(60));
    left -= 61;
  }
  labels.push('h'.repeat(left));
  return labels.join('.');
}

/**
 * The pure checks behind danube-input-limits.test.ts (which asks through the gateway): each limit
 * at its edge, the words of each refusal, and which kind of field each limit holds.
 */
describe('refuseDanubeInput', () => {
  it('takes a definition name of 8 characters, refuses one of 9 naming the field and the limit, never the value', () => {
    expect(refusal([definitionName('abcdefgh')])).toBeUndefined();
    const error = refusal([definitionName('abcdefghi', 'name')]);
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: "name must be at most 8 characters: Danube's limit for a backup definition's name",
      details: { provider: 'danube-a', fields: ['name'] },
    });
    expect(error?.message).not.toContain('abcdefghi');
  });

  it('takes a backup node whose labels are 63 characters, refuses one with a label of 64 wherever it is', () => {
    const label63 = 'a'.repeat(63);
    const label64 = 'b'.repeat(64);
    expect(refusal([backupNode(`${label63}.${label63}`)])).toBeUndefined();
    const words = "node must be a hostname whose labels are at most 63 characters: Danube's backup node is a host";
    for (const node of [label64, `${label64}.example.com`, `node.${label64}.com`, `node.example.${label64}`]) {
      const error = refusal([backupNode(node)]);
      expect(error, node).toMatchObject({ code: 'BAD_USER_INPUT', message: words, details: { provider: 'danube-a', fields: ['node'] } });
      expect(error?.message).not.toContain(label64);
    }
  });

  it('takes a backup node of 128 characters, refuses one of 129 whose labels are all short', () => {
    expect(hostnameOf(128)).toHaveLength(128);
    expect(hostnameOf(129)).toHaveLength(129);
    expect(refusal([backupNode(hostnameOf(128))])).toBeUndefined();
    expect(refusal([backupNode(hostnameOf(129), 'backupNode')])).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: "backupNode must be a hostname of at most 128 characters: Danube's limit for a hostname",
      details: { provider: 'danube-a', fields: ['backupNode'] },
    });
  });

  it('holds each limit to its own kind of field: a node is not a name, a name is not a node', () => {
    expect(refusal([backupNode('node99.erigones.com')])).toBeUndefined();
    expect(refusal([backupNode('abcdefghi')])).toBeUndefined();
    // A name over 8 is refused as a name, whatever its labels.
    expect(refusal([definitionName('a'.repeat(64))])?.message).toMatch(/^definitionName must be at most 8 characters/);
  });

  it('reads every field given: none refused for none, the first over its limit refused after one within', () => {
    expect(refusal([])).toBeUndefined();
    expect(refusal([definitionName('daily'), backupNode('node99.erigones.com')])).toBeUndefined();
    expect(refusal([definitionName('daily'), backupNode('x'.repeat(64)), definitionName('abcdefghi')])?.details.fields).toEqual(['node']);
    expect(refusal([backupNode('node99.erigones.com'), definitionName('abcdefghi')])?.details.fields).toEqual(['definitionName']);
  });
});
