import { buildSchema as buildSdl, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { mutationAnswerCuts, withNullsAt } from '../../src/graphql/limits/mutation-answer-cut.js';
import { buildSchema } from '../../src/graphql/schema.js';

const schema = buildSchema();
const cuts = (query: string, data: Record<string, unknown>) => mutationAnswerCuts(schema, parse(query), undefined, data);

describe('mutationAnswerCuts: where a mutation answer past the limit is cut', () => {
  it("cuts a payload's instance and its records' shared fields, keeping the payload's own records", () => {
    const query = `mutation { deleteBackupSchedule(input: { id: "s" }) { deletedId instance { id } }
      b: createBackup(input: { instanceId: "i", name: "n" }) { backup { id instance { id } definition { id } } operation { id backup { id } ...Op } } }
      fragment Op on Operation { instance { id } }`;
    const data = {
      deleteBackupSchedule: { deletedId: 's', instance: { id: 'i' } },
      b: { backup: { id: 'b', instance: { id: 'i' }, definition: null }, operation: { id: 'o', backup: { id: 'b' }, instance: { id: 'i' } } },
    };
    expect(cuts(query, data)).toEqual([
      ['deleteBackupSchedule', 'instance'],
      ['b', 'backup', 'instance'],
      ['b', 'operation', 'backup'],
      ['b', 'operation', 'instance'],
    ]);
  });

  it("cuts each list item's instance, a definition's but not its own schedule, and nothing already null", () => {
    const query = `mutation { createBackups(input: { instanceIds: ["a", "b"], name: "n" }) { results { instanceId instance { id } operation { id } } }
      createBackupDefinition(input: { instanceId: "a", name: "d", diskId: 1, schedule: { cron: "0 0 * * *" } }) { definition { id schedule { id instance { id } } instance { id } } } }`;
    const data = {
      createBackups: { results: [{ instanceId: 'a', instance: { id: 'a' }, operation: { id: 'o' } }, { instanceId: 'b', instance: null, operation: null }] },
      createBackupDefinition: { definition: { id: 'd', schedule: { id: 's', instance: { id: 'a' } }, instance: { id: 'a' } } },
    };
    expect(cuts(query, data)).toEqual([
      ['createBackups', 'results', 0, 'instance'],
      ['createBackupDefinition', 'definition', 'schedule', 'instance'],
      ['createBackupDefinition', 'definition', 'instance'],
    ]);
  });

  // No such field in today's schema: a made-up one where the shared record is non-null.
  const strict = buildSdl(`
    interface Node { id: ID! }
    type Instance implements Node { id: ID! }
    type Operation implements Node { id: ID! step: Step instance: Instance! }
    type Step { instance: Instance! }
    type Payload { operation: Operation! }
    type Mutation { act: Payload! }
    type Query { ok: Boolean }
  `);
  it('cuts a non-null shared field at its nearest nullable ancestor that is not the payload or its own record', () => {
    const query = parse('mutation { act { operation { id step { instance { id } } } } }');
    expect(mutationAnswerCuts(strict, query, undefined, { act: { operation: { id: 'o', step: { instance: { id: 'i' } } } } })).toEqual([['act', 'operation', 'step']]);
  });
  it('cuts nothing where that ancestor would be the payload or what acted', () => {
    const query = parse('mutation { act { operation { id instance { id } } } }');
    expect(mutationAnswerCuts(strict, query, undefined, { act: { operation: { id: 'o', instance: { id: 'i' } } } })).toEqual([]);
  });
});

describe('withNullsAt', () => {
  it('nulls each path in a copy, the original unchanged', () => {
    const data = { a: { b: [{ c: 1, d: 2 }, { c: 3 }], e: { f: 4 } } };
    const before = JSON.stringify(data);
    expect(withNullsAt(data, [['a', 'b', 0, 'c'], ['a', 'e']])).toEqual({ a: { b: [{ c: null, d: 2 }, { c: 3 }], e: null } });
    expect(JSON.stringify(data)).toBe(before);
  });
});
