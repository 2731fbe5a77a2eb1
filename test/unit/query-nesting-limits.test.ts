import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_CHAIN_REFUSAL, MAX_FRAGMENT_CHAIN, fragmentChainRefusal, mayChainTooDeep } from '../../src/graphql/limits/fragment-chain.js';
import { MAX_NESTING, NESTING_REFUSAL, nestingRefusal } from '../../src/graphql/limits/nesting.js';

/** The default `limits.maxTokens`. */
const TOKENS = 5_000;

/** An argument of lists nested `depth` deep, inside the selection set's brace and the argument's parenthesis (two more). */
const nestedLists = (depth: number) => `{ f(a: ${'['.repeat(depth)}1${']'.repeat(depth)}) }`;
const nestedSelections = (depth: number) => `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`;

const refusalOf = (error: { message: string; extensions: Record<string, unknown> } | null) => error && { message: error.message, code: error.extensions.code };
const nestingRefused = { message: NESTING_REFUSAL, code: 'QUERY_TOO_COMPLEX' };
const chainRefused = { message: FRAGMENT_CHAIN_REFUSAL, code: 'QUERY_TOO_COMPLEX' };

describe('nestingRefusal', () => {
  it('takes braces, brackets and parentheses open at once up to the limit, and refuses one more', () => {
    expect(MAX_NESTING).toBe(200);
    expect(nestingRefusal(nestedLists(MAX_NESTING - 2), TOKENS)).toBeNull();
    expect(refusalOf(nestingRefusal(nestedLists(MAX_NESTING - 1), TOKENS))).toEqual(nestingRefused);
    expect(refusalOf(nestingRefusal(nestedLists(2_400), TOKENS))).toEqual(nestingRefused);
  });

  it('counts each kind of mark on its own: selection sets, lists, parentheses', () => {
    expect(nestingRefusal(nestedSelections(MAX_NESTING), TOKENS)).toBeNull();
    expect(refusalOf(nestingRefusal(nestedSelections(MAX_NESTING + 1), TOKENS))).toEqual(nestingRefused);
    expect(refusalOf(nestingRefusal(`${'['.repeat(MAX_NESTING + 1)}`, TOKENS))).toEqual(nestingRefused);
    expect(refusalOf(nestingRefusal(`${'('.repeat(MAX_NESTING + 1)}`, TOKENS))).toEqual(nestingRefused);
    expect(nestingRefusal(`${'('.repeat(MAX_NESTING)}`, TOKENS)).toBeNull();
  });

  it('takes exactly the limit open at once in a document holding more marks than that in all', () => {
    // 201 marks (the second argument list's parenthesis), 200 of them open at once.
    expect(nestingRefusal(`{ f(a: ${'['.repeat(MAX_NESTING - 2)}1${']'.repeat(MAX_NESTING - 2)}) g(b: 1) }`, TOKENS)).toBeNull();
    expect(nestingRefusal(`${nestedSelections(MAX_NESTING)} { a }`, TOKENS)).toBeNull();
    expect(refusalOf(nestingRefusal(`${nestedSelections(MAX_NESTING + 1)} { a }`, TOKENS))).toEqual(nestingRefused);
  });

  it('says what was refused and why, with the limit, as clients read it', () => {
    expect(NESTING_REFUSAL).toBe('Nesting limit of 200 exceeded: braces, brackets and parentheses open at once; send a flatter document.');
    expect(FRAGMENT_CHAIN_REFUSAL).toBe('Fragment chain limit of 100 exceeded: fragments spreading fragments that deep; spread fewer in one another.');
  });

  it('counts marks open at once, not in all: closed ones open nothing, and extra closing marks buy no depth', () => {
    const twice = `{ f(a: ${'['.repeat(150)}1${']'.repeat(150)}, b: ${'['.repeat(150)}1${']'.repeat(150)}) }`;
    expect(nestingRefusal(twice, TOKENS)).toBeNull();
    expect(refusalOf(nestingRefusal(`${']'.repeat(50)}${'['.repeat(MAX_NESTING + 1)}`, TOKENS))).toEqual(nestingRefused);
  });

  it('a bracket in a string or a comment opens nothing', () => {
    expect(nestingRefusal(`# ${'['.repeat(500)}\n{ node(id: "${'['.repeat(500)}") { id } }`, TOKENS)).toBeNull();
    expect(nestingRefusal(`{ a(b: """${'{'.repeat(500)}""") }`, TOKENS)).toBeNull();
  });

  it('reads no more than the token limit (the parser refuses past it), and leaves a document that does not lex to the parser', () => {
    expect(nestingRefusal(nestedLists(MAX_NESTING + 10), 100)).toBeNull();
    // The 201st token is the 201st bracket: read with a limit of 201 tokens, not with one of 200.
    expect(nestingRefusal('['.repeat(MAX_NESTING + 1), MAX_NESTING)).toBeNull();
    expect(refusalOf(nestingRefusal('['.repeat(MAX_NESTING + 1), MAX_NESTING + 1))).toEqual(nestingRefused);
    expect(refusalOf(nestingRefusal(nestedLists(MAX_NESTING + 10), 300))).toEqual(nestingRefused);
    expect(nestingRefusal(`${'['.repeat(150)} "unterminated ${'['.repeat(100)}`, TOKENS)).toBeNull();
    expect(nestingRefusal(`${'['.repeat(150)} \u0007 ${'['.repeat(100)}`, TOKENS)).toBeNull();
  });
});

/** A query spreading a chain of `links` fragments, each spreading the next; defined from the first or from the last. */
function fragmentChain(links: number, order: 'first-first' | 'last-first' = 'first-first'): string {
  const fragments = Array.from({ length: links }, (_, index) => `fragment F${index} on Query { ...F${index + 1} }`);
  fragments.push(`fragment F${links} on Query { __typename }`);
  if (order === 'last-first') fragments.reverse();
  return `{ ...F0 } ${fragments.join(' ')}`;
}

/** `gadgets` two-fragment cycles, each starting a chain of `links` to the next gadget, defined last gadget first (see test/security/query-nesting.test.ts). */
function chainHiddenByCycles(gadgets: number, links: number): string {
  const fragments: string[] = [];
  for (let gadget = gadgets - 1; gadget >= 0; gadget--) {
    fragments.push(`fragment A${gadget} on Query { ...X${gadget} ...L${gadget}_0 }`, `fragment X${gadget} on Query { ...A${gadget} }`);
    for (let link = 0; link < links; link++) {
      const next = link + 1 < links ? `...L${gadget}_${link + 1}` : gadget + 1 < gadgets ? `...X${gadget + 1}` : '__typename';
      fragments.push(`fragment L${gadget}_${link} on Query { ${next} }`);
    }
  }
  return `{ ...X0 } ${fragments.join(' ')}`;
}

const chainRefusal = (source: string) => refusalOf(fragmentChainRefusal(parse(source)));

describe('mayChainTooDeep', () => {
  it('looks only at a document spreading more often than the chain limit', () => {
    expect(MAX_FRAGMENT_CHAIN).toBe(100);
    expect(mayChainTooDeep('{ a }')).toBe(false);
    expect(mayChainTooDeep(' ...F'.repeat(MAX_FRAGMENT_CHAIN))).toBe(false);
    expect(mayChainTooDeep(' ...F'.repeat(MAX_FRAGMENT_CHAIN + 1))).toBe(true);
    expect(mayChainTooDeep(`...F${' ...F'.repeat(MAX_FRAGMENT_CHAIN)}`)).toBe(true);
  });
});

describe('fragmentChainRefusal', () => {
  it('takes a short chain and refuses one past the limit, however its fragments are ordered', () => {
    expect(chainRefusal(fragmentChain(3))).toBeNull();
    for (const order of ['first-first', 'last-first'] as const) {
      expect(chainRefusal(fragmentChain(MAX_FRAGMENT_CHAIN - 1, order))).toBeNull();
      expect(chainRefusal(fragmentChain(MAX_FRAGMENT_CHAIN + 1, order))).toEqual(chainRefused);
      expect(chainRefusal(fragmentChain(500, order))).toEqual(chainRefused);
    }
    // The limit's own edge, 100 links (101 fragments), is taken either way: defined from the first, the walk held all
    // 101 fragments at once and refused them as over 100 links; defined from the last, each link was counted as it was read.
    expect(chainRefusal(fragmentChain(MAX_FRAGMENT_CHAIN, 'last-first'))).toBeNull();
    expect(chainRefusal(fragmentChain(MAX_FRAGMENT_CHAIN, 'first-first'))).toBeNull();
  });

  it('the longest of a fragment\'s spreads counts: a long chain behind a short one is found', () => {
    const long = fragmentChain(MAX_FRAGMENT_CHAIN + 1, 'last-first').replace('{ ...F0 } ', '');
    expect(chainRefusal(`{ ...S } fragment S on Query { ...E ...F0 } fragment E on Query { __typename } ${long}`)).toEqual(chainRefused);
    expect(chainRefusal(`{ ...S } fragment S on Query { ...F0 ...E } fragment E on Query { __typename } ${long}`)).toEqual(chainRefused);
  });

  it('leaves a cycle among few fragments to validation (which names it), and refuses one among more fragments than the limit', () => {
    expect(chainRefusal('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).toBeNull();
    const cycle = (size: number) => `{ ...F0 } ${Array.from({ length: size }, (_, index) => `fragment F${index} on Query { ...F${(index + 1) % size} }`).join(' ')}`;
    expect(chainRefusal(cycle(MAX_FRAGMENT_CHAIN))).toBeNull();
    expect(chainRefusal(cycle(150))).toEqual(chainRefused);
    // Many fragments, no cycle, no long chain: nothing to refuse.
    const wide = `{ ...F0 } ${Array.from({ length: 150 }, (_, index) => `fragment F${index} on Query { __typename }`).join(' ')}`;
    expect(chainRefusal(wide)).toBeNull();
  });

  it('refuses a long chain hidden behind two-fragment cycles, and leaves a short one to validation', () => {
    expect(chainRefusal(chainHiddenByCycles(60, 50))).toEqual(chainRefused);
    expect(chainRefusal(chainHiddenByCycles(2, 10))).toBeNull();
  });

  it('a spread of a fragment the document does not define is left to validation', () => {
    expect(chainRefusal('{ ...A } fragment A on Query { ...Missing }')).toBeNull();
  });
});
