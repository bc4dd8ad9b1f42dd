import "server-only";
import { graphql, GraphQLRequestError } from "./graphql";

/** For optional page parts (filter options): a refused or failed query gives the fallback. */
export async function graphqlOr<T>(fallback: T, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  try {
    return await graphql<T>(query, variables);
  } catch (error) {
    if (error instanceof GraphQLRequestError) return fallback;
    throw error;
  }
}
