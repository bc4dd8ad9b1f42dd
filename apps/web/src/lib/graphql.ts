import "server-only";
import { apiUrl } from "./config";
import { sessionToken } from "./session-token";

export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly field: string | undefined,
  ) {
    super(message);
    this.name = "GraphQLRequestError";
  }
}

type GraphQLResponse<T> = { data?: T; errors?: { message: string; extensions?: { code?: string; field?: string } }[] };

/** Calls the API as the signed-in user (server components and server actions). */
export async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = await sessionToken();
  const response = await fetch(`${apiUrl()}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    cache: "no-store",
  });
  const body = (await response.json()) as GraphQLResponse<T>;
  if (body.errors?.length) {
    const first = body.errors[0]!;
    throw new GraphQLRequestError(first.message, first.extensions?.code, first.extensions?.field);
  }
  if (!body.data) throw new GraphQLRequestError(`API answered ${response.status} without data`, undefined, undefined);
  return body.data;
}
