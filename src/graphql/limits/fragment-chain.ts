import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';

/**
 * Fragments spreading fragments, one chain, at most this deep. graphql-js's validation rules
 * (NoFragmentCycles, graphql-armor's depth rule) follow a chain by recursion: past some 2,000
 * links they ran out of stack. The token limit's default leaves room for about 700; a larger
 * `limits.maxTokens` for more. A chain past 50 links is over the deepest `limits.maxDepth`
 * anyway (each link counts), so no query that could pass is refused.
 */
export const MAX_FRAGMENT_CHAIN = 100;

export const FRAGMENT_CHAIN_REFUSAL = `Fragment chain limit of ${MAX_FRAGMENT_CHAIN} exceeded: fragments spreading fragments that deep; spread fewer in one another.`;

/** Whether `source` spreads (`...`) more often than MAX_FRAGMENT_CHAIN at all: only then is it looked at. */
export function mayChainTooDeep(source: string): boolean {
  let spreads = 0;
  for (let index = source.indexOf('...'); index >= 0; index = source.indexOf('...', index + 3)) {
    if (++spreads > MAX_FRAGMENT_CHAIN) return true;
  }
  return false;
}

/** The fragments each fragment spreads, read with graphql-js's visitor (which keeps its own stack, no recursion). */
function spreadsOf(document: DocumentNode): Map<string, string[]> {
  const spreads = new Map<string, string[]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const names: string[] = [];
    visit(definition.selectionSet, { FragmentSpread: (node) => void names.push(node.name.value) });
    spreads.set(definition.name.value, names);
  }
  return spreads;
}

/**
 * QUERY_TOO_COMPLEX when a chain of fragment spreads is longer than MAX_FRAGMENT_CHAIN; null
 * otherwise. Walked with a stack of its own; a spread back into the chain (a cycle) is left to
 * validation, which names it, when the document has too few fragments for any chain to be long.
 * The longest chain each fragment starts is exact only without cycles: a fragment walked while
 * its cycle partner was on the stack is remembered too short, and gadgets of two-fragment
 * cycles hid a chain of 3,000 links from it that graphql-armor's depth rule, starting from the
 * operation, then followed by recursion (HTTP 500).
 */
export function fragmentChainRefusal(document: DocumentNode): GraphQLError | null {
  const spreads = spreadsOf(document);
  const refusal = () => new GraphQLError(FRAGMENT_CHAIN_REFUSAL, { extensions: { code: 'QUERY_TOO_COMPLEX' } });
  /** The longest chain from each fragment, links counted. */
  const longest = new Map<string, number>();
  const onChain = new Set<string>();
  let cyclic = false;
  for (const root of spreads.keys()) {
    if (longest.has(root)) continue;
    const chain: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    onChain.add(root);
    while (chain.length > 0) {
      const top = chain[chain.length - 1] as { name: string; next: number };
      const children = spreads.get(top.name) ?? [];
      if (top.next < children.length) {
        const child = children[top.next] as string;
        top.next += 1;
        if (onChain.has(child)) cyclic = true;
        if (spreads.has(child) && !longest.has(child) && !onChain.has(child)) {
          onChain.add(child);
          chain.push({ name: child, next: 0 });
          // Links, not fragments: a chain of 101 fragments is 100 links long, within the limit (the pop below counts so too).
          if (chain.length - 1 > MAX_FRAGMENT_CHAIN) return refusal();
        }
        continue;
      }
      chain.pop();
      onChain.delete(top.name);
      const length = children.reduce((most, child) => Math.max(most, 1 + (longest.get(child) ?? 0)), 0);
      if (length > MAX_FRAGMENT_CHAIN) return refusal();
      longest.set(top.name, length);
    }
  }
  // With a cycle, a chain can be as long as there are fragments, whatever `longest` says.
  return cyclic && spreads.size > MAX_FRAGMENT_CHAIN ? refusal() : null;
}
