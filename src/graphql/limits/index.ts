import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/schema.js';
import { COST_ERROR_PREFIX, costLimitRule } from './cost-rule.js';

/** Rows a list without `first` is assumed to hold when pricing a query. */
const ASSUMED_LIST_SIZE = 5;

/** Directives one operation may carry. */
export const MAX_DIRECTIVES = 50;

export interface QueryLimits {
  parseOptions: { maxTokens: number; maxSourceLength: number };
  /** Added to graphql-js's specified rules, for HTTP and WebSocket alike. */
  validationRules: ValidationRule[];
}

/**
 * Depth, alias and directive limits (graphql-armor's validation rules), the
 * token and length limits (graphql-js's own parser options), our list-aware
 * cost rule. Each limit refusal becomes QUERY_TOO_COMPLEX in the error
 * formatter. The introspection switch is no rule: it depends on the caller
 * (see ../introspection.ts).
 */
export function queryLimits(limits: LimitsConfig): QueryLimits {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    // Aliases of `__typename` count too (graphql-armor leaves them out, and aliases named
    // `__typename`, by default): each is one more key in every object of its place, the one way
    // past the schema's fields per object, and only the token limit bounded how many (1,666 at its
    // 5,000; 65,000 at the root of a 1 MB body under a raised one passed every rule, the cost too). The
    // answer-items guard counts objects, not their keys, and the cost prices a list without
    // `first` at 5 items, so each real item of such a list carried all of them.
    maxAliases: { n: limits.maxAliases, allowList: [] },
    // graphql-js counts tokens while parsing (parseOptions below), before any work.
    maxTokens: { enabled: false },
    maxDirectives: { n: MAX_DIRECTIVES },
    // Our own cost rule weighs lists; armor's does not.
    costLimit: { enabled: false },
    // The error formatter strips "Did you mean" from every message (variable errors too), not only validation's.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    // A source longer than a request body could be is refused before the lexer starts.
    parseOptions: { maxTokens: limits.maxTokens, maxSourceLength: limits.bodyLimitBytes },
    validationRules: [
      ...protection.validationRules,
      costLimitRule({ maxCost: limits.maxCost, assumedListSize: ASSUMED_LIST_SIZE, maxPageSize: limits.maxPageSize }),
    ],
  };
}

/**
 * graphql-js (16.15) stops validating a document whose same-named fields would take too many
 * comparisons to merge (`{ providers { id id id ... } }`, 1,000 times) and says only this: a
 * limit's refusal, answered as one (it was BAD_USER_INPUT "Validation aborted.").
 */
const VALIDATION_ABORTED = 'Validation aborted.';
export const VALIDATION_ABORTED_MESSAGE = 'Query too complex to validate: it selects one field too many times; select each field once.';

/** graphql-armor and the parser word their refusals as syntax errors; these are the limits'. */
const LIMIT_MESSAGES = /^(?:Syntax Error: )?(?:Query depth|Aliases|Token|Directives) limit of|^Syntax Error: Document contains more tha[nt] \d+ tokens|^Syntax Error: Source contains more than \d+ UTF-16 code units|^Validation aborted\.$/;

/** Whether an error message is one of the limits' refusals. */
export const isLimitRefusal = (message: string): boolean => LIMIT_MESSAGES.test(message) || message.startsWith(COST_ERROR_PREFIX);

/**
 * A limit refusal in plain words: "Query depth limit of 10 exceeded, found 12."
 * rather than a "Syntax Error:" the client did not make.
 */
export function limitRefusalMessage(message: string): string {
  const tokens = /^Syntax Error: Document contains more tha[nt] (\d+) tokens/.exec(message);
  if (tokens) return `Token limit of ${tokens[1]} exceeded: send a shorter document.`;
  const length = /^Syntax Error: Source contains more than (\d+) UTF-16 code units/.exec(message);
  if (length) return `Document length limit of ${length[1]} characters exceeded.`;
  if (message === VALIDATION_ABORTED) return VALIDATION_ABORTED_MESSAGE;
  const plain = message.replace(/^Syntax Error: /, '');
  // graphql-armor's words name a number, not the config key behind it nor what to send instead.
  const configured = /^(Query depth|Aliases) limit of \d+ exceeded, found \d+\.$/.exec(plain);
  if (configured?.[1] === 'Query depth') return `${plain.slice(0, -1)} (limits.maxDepth): nest fewer selections in one request.`;
  if (configured?.[1] === 'Aliases') return `${plain.slice(0, -1)} (limits.maxAliases): send fewer aliases in one request.`;
  return plain;
}
