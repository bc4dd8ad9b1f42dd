// Builds GraphQL documents that ask for (nearly) everything: every root field of the schema with
// a selection of every field below it up to a depth, inline fragments for every possible type of
// interfaces and unions, arguments filled from candidate values, and aliases. Used by the
// blinding test to look for planted canary values in any response.
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from "graphql";

/** Where argument values come from. */
export type ArgumentValues = {
  /** Candidate global ids for an ID argument or input field, by its name (e.g. "studyId") and the root field's name. */
  idsFor: (name: string, rootField: string) => readonly string[];
  /** A literal for a scalar or enum (by type name and field name); optional input fields it answers for are filled too. */
  scalar?: (scalarName: string, fieldName: string) => string | undefined;
};

/** Picks the k-th candidate for an ID field (cycling), or every candidate for a list of IDs. */
type Pick = (name: string, isList: boolean) => string;

const literal = (value: unknown) => JSON.stringify(value);

/** The literal for an input type (ids from `pick`). Optional input fields are left out except ids. */
function inputLiteral(
  type: GraphQLInputType,
  fieldName: string,
  pick: Pick,
  values: ArgumentValues,
  depth = 0,
): string | undefined {
  if (isNonNullType(type)) return inputLiteral(type.ofType, fieldName, pick, values, depth);
  if (isListType(type)) {
    if (getNamedType(type).name === "ID") return pick(fieldName, true);
    const item = inputLiteral(type.ofType, fieldName, pick, values, depth);
    return item === undefined ? undefined : `[${item}]`;
  }
  if (isEnumType(type)) return values.scalar?.(type.name, fieldName) ?? type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    if (depth > 3) return undefined;
    const parts: string[] = [];
    for (const field of Object.values(type.getFields())) {
      const isRequired = isNonNullType(field.type);
      const isId = getNamedType(field.type).name === "ID";
      const isChosen = values.scalar?.(getNamedType(field.type).name, field.name) !== undefined;
      if (!isRequired && !isId && !isChosen) continue;
      const value = inputLiteral(field.type, field.name, pick, values, depth + 1);
      if (value === undefined) return undefined;
      parts.push(`${field.name}: ${value}`);
    }
    return `{${parts.join(", ")}}`;
  }
  if (isScalarType(type)) {
    const custom = values.scalar?.(type.name, fieldName);
    if (custom !== undefined) return custom;
    switch (type.name) {
      case "ID":
        return pick(fieldName, false);
      case "String":
        return literal(/email/i.test(fieldName) ? "blinding@test.example" : "blinding-test");
      case "Int":
        return "1";
      case "Float":
        return "1.5";
      case "Boolean":
        return "true";
      case "DateTime":
        return literal(new Date().toISOString());
      case "Date":
        return literal("2020-01-01");
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `(a: 1, b: "x")` for the field's required arguments and its ID arguments, or undefined when one cannot be filled. */
function argumentsFor(field: GraphQLField<unknown, unknown>, pick: Pick, values: ArgumentValues): string | undefined {
  const parts: string[] = [];
  for (const arg of field.args as readonly GraphQLArgument[]) {
    const isRequired = isNonNullType(arg.type);
    if (!isRequired && !takesId(arg)) continue;
    const value = inputLiteral(arg.type, arg.name, pick, values);
    if (value === undefined) {
      if (isRequired) return undefined;
      continue;
    }
    parts.push(`${arg.name}: ${value}`);
  }
  return parts.length ? `(${parts.join(", ")})` : "";
}

/** An ID argument, or an input object with an ID field (e.g. a filter by study). */
function takesId(arg: { type: GraphQLInputType }): boolean {
  const named = getNamedType(arg.type);
  if (named.name === "ID") return true;
  return isInputObjectType(named) && Object.values(named.getFields()).some((f) => getNamedType(f.type).name === "ID");
}

const isIdList = (type: GraphQLInputType) => isListType(isNonNullType(type) ? type.ofType : type);

/**
 * Names of the single-ID arguments and input fields (one level into input objects) of a field: one
 * call per candidate of these. A list of ids takes every candidate in one call.
 */
function idNames(field: GraphQLField<unknown, unknown>): string[] {
  return field.args.flatMap((arg) => {
    const named = getNamedType(arg.type);
    if (named.name === "ID") return isIdList(arg.type) ? [] : [arg.name];
    return isInputObjectType(named)
      ? Object.values(named.getFields())
          .filter((f) => getNamedType(f.type).name === "ID" && !isIdList(f.type))
          .map((f) => f.name)
      : [];
  });
}

/**
 * A selection set of every field of `type` down to `depth` levels. Nested fields with required
 * arguments are skipped (their roots are walked on their own); optional arguments keep their defaults.
 */
export function selectionOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isScalarType(type) || isEnumType(type)) return "";
  if (depth <= 0) return "{ __typename }";
  if (isInterfaceType(type) || isUnionType(type)) {
    const fragments = schema.getPossibleTypes(type).map((t) => `... on ${t.name} ${selectionOf(schema, t, depth)}`);
    return `{ __typename ${fragments.join(" ")} }`;
  }
  if (!isObjectType(type)) return "";
  const fields: string[] = ["__typename"];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) fields.push(field.name);
    else fields.push(`${field.name} ${selectionOf(schema, named, depth - 1)}`);
  }
  return `{ ${fields.join(" ")} }`;
}

/** The direct sub-selections of a selection of `type`, one per field: used to split a too costly selection. */
export function fieldSelectionsOf(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string[] {
  if (isInterfaceType(type) || isUnionType(type)) {
    return schema
      .getPossibleTypes(type)
      .flatMap((t) => fieldSelectionsOf(schema, t, depth).map((s) => `{ __typename ... on ${t.name} ${s} }`));
  }
  if (!isObjectType(type)) return [selectionOf(schema, type, depth)];
  return Object.values(type.getFields())
    .filter((field) => !field.args.some((a) => isNonNullType(a.type)))
    .map((field) => {
      const named = getNamedType(field.type);
      return isScalarType(named) || isEnumType(named)
        ? `{ ${field.name} }`
        : `{ ${field.name} ${selectionOf(schema, named, depth - 1)} }`;
    });
}

export type RootCall = {
  operation: "query" | "mutation";
  field: string;
  /** One aliased call per candidate id (a single call when the field takes no id). */
  calls: { alias: string; args: string }[];
  returnType: GraphQLNamedType;
};

/** Every root field of an operation type, with its calls (aliases x candidate ids). */
export function rootCalls(
  schema: GraphQLSchema,
  operation: "query" | "mutation",
  values: ArgumentValues,
  skip: readonly string[] = [],
): RootCall[] {
  const root = operation === "query" ? schema.getQueryType() : schema.getMutationType();
  if (!root) return [];
  const out: RootCall[] = [];
  for (const field of Object.values(root.getFields())) {
    if (skip.includes(field.name)) continue;
    // One call per candidate of the ID argument with the most candidates; the others cycle.
    const names = idNames(field);
    const count = Math.max(1, ...names.map((n) => values.idsFor(n, field.name).length));
    const calls = Array.from({ length: count }, (_, k) => k).flatMap((k) => {
      const pick: Pick = (name, isList) => {
        const ids = values.idsFor(name, field.name);
        return isList ? literal(ids) : literal(ids[k % ids.length] ?? "none");
      };
      const args = argumentsFor(field, pick, values);
      return args === undefined ? [] : [{ alias: `c${k}`, args }];
    });
    if (calls.length) out.push({ operation, field: field.name, calls, returnType: getNamedType(field.type) });
  }
  return out;
}

/** A document with the given aliased calls of one root field and one selection. */
export function documentOf(call: RootCall, calls: RootCall["calls"], selection: string): string {
  return `${call.operation} { ${calls.map((c) => `${c.alias}: ${call.field}${c.args} ${selection}`).join(" ")} }`;
}
