import type { ApolloServerPlugin } from "@apollo/server";
import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  TypeInfo,
  valueFromASTUntyped,
  visit,
  visitWithTypeInfo,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { AppError } from "../errors/app-error.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Ids the API issues for rows that have no object type of that name: a read is shown as MyRead,
// ReportRead, ... but its id (MyRead.id, ConcordanceResult.readId; correctRead's readId) is "Read:<uuid>".
const ID_ONLY_TYPES = new Set(["Read"]);

/**
 * Refuses bad argument values before any resolver runs, naming the argument (`extensions.field`):
 * a NUL byte in any string (PostgreSQL cannot store it in text or jsonb), and an ID that is not
 * a global id this API issues ("<Type>:<uuid>" in base64, for a type of the schema; a Node type
 * where the field returns nodes). Without this, such values reach the database as internal errors.
 */
export function argumentProblem(
  schema: GraphQLSchema,
  type: GraphQLInputType,
  value: unknown,
  field: string,
  wantsNode: boolean,
): AppError | null {
  if (value === null || value === undefined) return null;
  if (isNonNullType(type)) return argumentProblem(schema, type.ofType, value, field, wantsNode);
  if (isListType(type)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const problem = argumentProblem(schema, type.ofType, item, field, wantsNode);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(type) && typeof value === "object") {
    const fields = type.getFields();
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const fieldType = fields[key]?.type;
      const problem = fieldType
        ? argumentProblem(schema, fieldType, inner, `${field}.${key}`, false)
        : nulProblem(inner, `${field}.${key}`);
      if (problem) return problem;
    }
    return null;
  }
  if (getNamedType(type).name === "ID" && typeof value === "string")
    return globalIdProblem(schema, value, field, wantsNode);
  return nulProblem(value, field);
}

/** A NUL byte anywhere in a value (JSON scalars included). */
function nulProblem(value: unknown, field: string): AppError | null {
  if (typeof value === "string")
    return value.includes("\u0000") ? new AppError("VALIDATION", `${field}: contains a NUL byte`, { field }) : null;
  if (value && typeof value === "object") {
    for (const inner of Object.values(value as Record<string, unknown>)) {
      const problem = nulProblem(inner, field);
      if (problem) return problem;
    }
  }
  return null;
}

function globalIdProblem(schema: GraphQLSchema, value: string, field: string, wantsNode: boolean): AppError | null {
  const bad = (why: string) => new AppError("VALIDATION", `${field}: not an id this API issued (${why})`, { field });
  if (!/^[A-Za-z0-9+/=_-]{1,200}$/.test(value)) return bad("not base64");
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const separator = decoded.indexOf(":");
  const typename = decoded.slice(0, separator);
  const rawId = decoded.slice(separator + 1);
  const type = separator > 0 ? schema.getType(typename) : undefined;
  const isIdOnly = !wantsNode && ID_ONLY_TYPES.has(typename);
  if (!isIdOnly && (!type || !isObjectType(type))) return bad("unknown type");
  if (wantsNode && !(isObjectType(type) && type.getInterfaces().some((i) => i.name === "Node")))
    return bad(`${typename} is not a node type`);
  if (!UUID.test(rawId)) return bad("malformed");
  return null;
}

/** The checks above as an Apollo plugin: runs after validation, before execution. */
export function argumentChecksPlugin<T extends object>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, request }) {
          const typeInfo = new TypeInfo(schema);
          const variables = request.variables ?? {};
          let problem: AppError | null = null;
          visit(
            document,
            visitWithTypeInfo(typeInfo, {
              Argument(node) {
                const argument = typeInfo.getArgument();
                if (problem || !argument) return;
                const returns = typeInfo.getFieldDef()?.type;
                const wantsNode =
                  returns !== undefined &&
                  isInterfaceType(getNamedType(returns)) &&
                  getNamedType(returns).name === "Node";
                const value = valueFromASTUntyped(node.value, variables);
                problem = argumentProblem(schema, argument.type, value, argument.name, wantsNode);
              },
            }),
          );
          if (problem)
            throw new GraphQLError((problem as AppError).message, {
              originalError: problem,
              extensions: { http: { status: 400 } },
            });
        },
      };
    },
  };
}
