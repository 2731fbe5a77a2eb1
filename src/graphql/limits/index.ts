import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ValidationRule } from 'graphql';
import type { LimitsConfig } from '../../config/schema.js';
import { COST_ERROR_PREFIX, costLimitRule } from './cost-rule.js';

/** Rows a list without `first` is assumed to hold when pricing a query. */
const ASSUMED_LIST_SIZE = 5;

/**
 * Depth and alias limits (graphql-armor's validation rules), the token limit
 * (graphql-js's own parser option) and our list-aware cost rule. Each refusal
 * becomes QUERY_TOO_COMPLEX in the error formatter.
 */
export function queryLimits(limits: LimitsConfig): { parseOptions: { maxTokens: number }; validationRules: ValidationRule[] } {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // graphql-js counts tokens while parsing (parseOptions below), before any work.
    maxTokens: { enabled: false },
    maxDirectives: { n: 50 },
    // Our own cost rule weighs lists; armor's does not.
    costLimit: { enabled: false },
    // Suggestions leak schema details when introspection is off.
    blockFieldSuggestion: { enabled: true },
  });
  const protection = armor.protect();
  return {
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      ...protection.validationRules,
      costLimitRule({ maxCost: limits.maxCost, assumedListSize: ASSUMED_LIST_SIZE, maxPageSize: limits.maxPageSize }),
    ],
  };
}

const LIMIT_MESSAGES = /^Syntax Error: (Query depth|Aliases|Token|Directives) limit of|^Syntax Error: Document contains more tha[nt] \d+ tokens/;

/** Whether an error message is one of the limits' refusals. */
export const isLimitRefusal = (message: string): boolean => LIMIT_MESSAGES.test(message) || message.startsWith(COST_ERROR_PREFIX);
