import { GraphQLError, type ValidationRule } from "graphql";

/** Per-operation limits (the complexity plugin applies them at execution, with variables known). */
export const QUERY_LIMITS = { complexity: 20_000, depth: 12, breadth: 100 };

/** Aliases multiply the cost of one field (e.g. 1000 aliased copies of an expensive field). */
export const MAX_ALIASES = 50;

/** The parser stops after this many tokens, so huge documents are refused before validation. */
export const MAX_DOCUMENT_TOKENS = 10_000;

/** A validation rule: refuses operations with more than `max` aliased fields. */
export function aliasLimitRule(max = MAX_ALIASES): ValidationRule {
  return (context) => {
    let count = 0;
    return {
      OperationDefinition: { enter: () => void (count = 0) },
      Field(node) {
        if (!node.alias) return;
        count += 1;
        if (count === max + 1) {
          context.reportError(new GraphQLError(`too many aliases: at most ${max} per operation`, { nodes: node }));
        }
      },
    };
  };
}
