import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_QUERY, PROTECTION_QUERY } from '../../src/server/graphiql.js';
import { answerLongerThan } from '../../src/graphql/limits/answer-size.js';
import { repeatsRecords } from '../../src/graphql/limits/repeated-records.js';
import { buildSchema } from '../../src/graphql/schema.js';

describe('answerLongerThan: the length of a JSON text, told without writing it', () => {
  // Values JSON writes without escapes and with one-digit numbers: the count is their exact length.
  const exact: unknown[] = [
    'note',
    '',
    7,
    true,
    false,
    null,
    [],
    {},
    [1, 'a', null],
    { a: 1, bb: 'cc', d: [true, { e: null }] },
    { data: { _entities: [{ backups: [{ note: 'x'.repeat(50) }] }, { backups: [] }] } },
  ];
  it.each(exact.map((value) => [JSON.stringify(value), value]))('counts %s as long as JSON writes it', (_text, value) => {
    const length = JSON.stringify(value).length;
    expect(answerLongerThan(value, length)).toBe(false);
    expect(answerLongerThan(value, length - 1)).toBe(true);
  });

  // Counted as characters, a note of control characters (6 bytes each as \u00XX) or CJK (3 bytes each)
  // let an answer of six or three times the limit through.
  const written: unknown[] = [
    { a: 'line\nbreak "quoted" \\ \t\r\b\f' },
    [12345, 0.25, -1e300, 1.2345678901234567, Number.NaN, -0],
    'é\u0000\u001f\u007f',
    '\u0001'.repeat(1000),
    '漢字'.repeat(500),
    { 'ключ "k"': '😀 \ud800 x \udc00 \udbff\udfff' },
  ];
  it.each(written.map((value, row) => [row, value]))('counts row %i as its UTF-8 bytes as JSON writes it', (_text, value) => {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    expect(answerLongerThan(value, bytes)).toBe(false);
    expect(answerLongerThan(value, bytes - 1)).toBe(true);
  });

  it('leaves out what JSON leaves out: an undefined field, a function', () => {
    const value = { a: undefined, b: () => 1, c: 1 };
    expect(answerLongerThan(value, JSON.stringify(value).length)).toBe(false);
    expect(answerLongerThan(value, JSON.stringify(value).length - 1)).toBe(true);
    expect(answerLongerThan({ a: undefined }, 2)).toBe(false);
  });

  it('counts one string as often as it stands, and stops at the limit', () => {
    const note = 'n'.repeat(1000);
    const answer = Array.from({ length: 1000 }, () => ({ note }));
    expect(answerLongerThan(answer, 1_000_000)).toBe(true);
    expect(answerLongerThan(answer, 1_020_000)).toBe(false);
  });

  it('walks a record nested deeper than the call stack', () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 200_000; level++) deep = [deep];
    expect(answerLongerThan(deep, 1_000)).toBe(true);
  });
});

describe('repeatsRecords: whether an answer may hold one record read more than once per path', () => {
  const schema = buildSchema();
  const repeats = (query: string): boolean => repeatsRecords(schema, parse(query));

  it("repeats nothing in GraphiQL's dashboard and protection queries (the warm path measures nothing)", () => {
    expect(repeats(DASHBOARD_QUERY)).toBe(false);
    expect(repeats(PROTECTION_QUERY)).toBe(false);
  });

  it.each([
    ['an alias', '{ a: instance(id: "x") { id } }'],
    ['an alias of a leaf', '{ instance(id: "x") { backups { a: note b: note } } }'],
    ['_entities', 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }'],
    ["a backup's instance", '{ backups { edges { node { instance { id } } } } }'],
    ["a backup's definition", '{ instance(id: "x") { backups { definition { id } } } }'],
    ["a definition's instance, in a fragment", '{ instance(id: "x") { definitions { ...D } } } fragment D on BackupDefinition { instance { id } }'],
    ["an operation's backup", '{ operation(id: "x") { backup { id } } }'],
    ["an update's instance", 'subscription { operationUpdated(id: "x") { instance { id } } }'],
  ])('repeats through %s', (_what, query) => {
    expect(repeats(query)).toBe(true);
  });

  it.each([
    ['root fields and their own lists', '{ instance(id: "x") { backups { note raw } definitions { backups { id } } } backup(id: "y") { note } }'],
    ["a definition's own schedule, an instance's own last backup", '{ instance(id: "x") { definitions { schedule { id } } protection { lastBackup { id } } } }'],
    ['a provider account', '{ instances { edges { node { provider { id name } backups { provider { id } } } } } }'],
  ])('repeats nothing through %s', (_what, query) => {
    expect(repeats(query)).toBe(false);
  });
});
