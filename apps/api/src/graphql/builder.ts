import SchemaBuilder from "@pothos/core";
import ComplexityPlugin from "@pothos/plugin-complexity";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { AppError } from "../errors/app-error.ts";
import type { GraphQLContext } from "./context.ts";
import { QUERY_LIMITS } from "./limits.ts";

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: { authenticated: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Relay before scope-auth so that auth checks see decoded global ids.
  plugins: [RelayPlugin, ScopeAuthPlugin, DataloaderPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({ authenticated: ctx.viewer !== null }),
    unauthorizedError: () => new AppError("UNAUTHENTICATED", "sign in first"),
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    // A connection field's own complexity multiplies by its page size; its edges must not again.
    edgesFieldOptions: { complexity: { field: 1, multiplier: 1 } },
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    limit: QUERY_LIMITS,
    // Checked before the first root field resolves, so an over-limit mutation changes nothing.
    complexityError: (_kind, result) =>
      new AppError(
        "QUERY_TOO_COMPLEX",
        `query too large: depth ${result.depth} (max ${result.maxDepth}), breadth ${result.breadth} (max ${result.maxBreadth}), cost ${result.complexity} (max ${result.maxComplexity})`,
      ),
  },
});

builder.queryType({});
builder.mutationType({});
