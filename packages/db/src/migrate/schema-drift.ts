import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";

export const defaultSchemaPath = fileURLToPath(new URL("../../../../prisma/schema.prisma", import.meta.url));

/** One disagreement between schema.prisma and the live database. */
export type SchemaDrift = { kind: string; object: string; detail: string };

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "object" | "enum" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  nativeType?: [string, string[]] | null;
  relationName?: string;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: "id" | "unique" | "normal" | "fulltext"; fields: { name: string }[] };
type Dmmf = {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName?: string | null; values: { name: string }[] }[];
    indexes: DmmfIndex[];
  };
};

const SCALAR_SQL: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Boolean: "boolean",
  Json: "jsonb",
  Bytes: "bytea",
  Decimal: "numeric(65,30)",
  DateTime: "timestamp(3) without time zone",
};

function nativeSql(native: [string, string[]]): string {
  const [name, args] = native;
  switch (name) {
    case "Uuid":
      return "uuid";
    case "Timestamptz":
      return `timestamp(${args[0] ?? 6}) with time zone`;
    case "Timestamp":
      return `timestamp(${args[0] ?? 6}) without time zone`;
    case "Date":
      return "date";
    case "VarChar":
      return args.length ? `character varying(${args[0]})` : "character varying";
    case "Text":
      return "text";
    case "SmallInt":
      return "smallint";
    case "Real":
      return "real";
    case "DoublePrecision":
      return "double precision";
    case "JsonB":
      return "jsonb";
    default:
      return name.toLowerCase();
  }
}

/** The type PostgreSQL's format_type() prints for a field, as Prisma Migrate would create it. */
function expectedSqlType(field: DmmfField): string {
  let base: string;
  if (field.kind === "enum") base = `"${field.type}"`;
  else if (field.nativeType) base = nativeSql(field.nativeType);
  else base = SCALAR_SQL[field.type] ?? field.type.toLowerCase();
  return field.isList ? `${base}[]` : base;
}

// Prisma's defaults when the schema states no referential action.
function expectedOnDelete(field: DmmfField, fromFields: DmmfField[]): string {
  if (field.relationOnDelete) return field.relationOnDelete;
  return fromFields.every((f) => f.isRequired) ? "Restrict" : "SetNull";
}
const PG_ACTION: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

/**
 * Compares the live database (schema `public`) with schema.prisma: tables, columns (type and
 * nullability), enums, primary keys, unique and plain indexes, and foreign keys (with their
 * ON DELETE). Objects Prisma cannot express (CHECKs, triggers, partial indexes) are allowed.
 */
export async function findSchemaDrift(
  databaseUrl: string,
  options: { schemaText?: string; schemaPath?: string } = {},
): Promise<SchemaDrift[]> {
  const schemaText = options.schemaText ?? (await readFile(options.schemaPath ?? defaultSchemaPath, "utf8"));
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as Dmmf;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await compare(dmmf, client);
  } finally {
    await client.end();
  }
}

async function compare(dmmf: Dmmf, client: pg.Client): Promise<SchemaDrift[]> {
  const drift: SchemaDrift[] = [];
  const add = (kind: string, object: string, detail: string) => drift.push({ kind, object, detail });

  const columns = await client.query<{ table: string; column: string; type: string; notnull: boolean }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`);
  const enums = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  const indexes = await client.query<{
    table: string;
    name: string;
    isUnique: boolean;
    isPrimary: boolean;
    columns: string[];
    isPartial: boolean;
  }>(`
    SELECT c.relname AS table, i.relname AS name, x.indisunique AS "isUnique", x.indisprimary AS "isPrimary",
      x.indpred IS NOT NULL AS "isPartial",
      ARRAY(SELECT a.attname FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`);
  const foreignKeys = await client.query<{
    table: string;
    name: string;
    columns: string[];
    refTable: string;
    refColumns: string[];
    onDelete: string;
  }>(`
    SELECT c.relname AS table, con.conname AS name, rc.relname AS "refTable", con.confdeltype AS "onDelete",
      ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns,
      ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS "refColumns"
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class rc ON rc.oid = con.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'f' AND n.nspname = 'public'`);

  const IGNORED_TABLES = new Set(["_prisma_migrations"]);
  const dbTables = new Map<string, Map<string, { type: string; notnull: boolean }>>();
  for (const row of columns.rows) {
    if (IGNORED_TABLES.has(row.table)) continue;
    if (!dbTables.has(row.table)) dbTables.set(row.table, new Map());
    dbTables.get(row.table)!.set(row.column, { type: row.type, notnull: row.notnull });
  }

  // Enums
  const dbEnums = new Map(enums.rows.map((e) => [e.name, e.values]));
  for (const e of dmmf.datamodel.enums) {
    const name = e.dbName ?? e.name;
    const values = dbEnums.get(name);
    const expected = e.values.map((v) => v.name);
    if (!values) add("missing enum", name, `enum ${name} does not exist in the database`);
    else if (values.join(",") !== expected.join(","))
      add("enum values", name, `database has [${values.join(", ")}], schema has [${expected.join(", ")}]`);
    dbEnums.delete(name);
  }
  for (const name of dbEnums.keys())
    add("extra enum", name, `enum ${name} exists in the database but not in schema.prisma`);

  const modelByName = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  const tableOf = (m: DmmfModel) => m.dbName ?? m.name;
  const columnOf = (m: DmmfModel, fieldName: string) => {
    const f = m.fields.find((x) => x.name === fieldName);
    return f?.dbName ?? fieldName;
  };

  for (const model of dmmf.datamodel.models) {
    const table = tableOf(model);
    const dbColumns = dbTables.get(table);
    if (!dbColumns) {
      add("missing table", table, `table ${table} does not exist in the database`);
      continue;
    }
    const seen = new Set<string>();
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      const column = field.dbName ?? field.name;
      seen.add(column);
      const actual = dbColumns.get(column);
      if (!actual) {
        add("missing column", `${table}.${column}`, `column ${table}.${column} does not exist in the database`);
        continue;
      }
      const expectedType = expectedSqlType(field);
      if (actual.type !== expectedType)
        add("column type", `${table}.${column}`, `database type ${actual.type}, schema expects ${expectedType}`);
      // Prisma Migrate creates list columns nullable; any other required field is NOT NULL.
      const expectNotNull = field.isRequired && !field.isList;
      if (actual.notnull !== expectNotNull) {
        add(
          "nullability",
          `${table}.${column}`,
          `database column is ${actual.notnull ? "NOT NULL" : "nullable"}, schema says ${expectNotNull ? "required" : "optional"}`,
        );
      }
    }
    for (const column of dbColumns.keys()) {
      if (!seen.has(column))
        add(
          "extra column",
          `${table}.${column}`,
          `column ${table}.${column} exists in the database but not in schema.prisma`,
        );
    }
    dbTables.delete(table);
  }
  for (const table of dbTables.keys())
    add("extra table", table, `table ${table} exists in the database but not in schema.prisma`);

  // Primary keys, unique and plain indexes (partial indexes are hand-written rules: allowed).
  const dbIndexes = indexes.rows.filter((i) => !i.isPartial && !IGNORED_TABLES.has(i.table));
  const matched = new Set<string>();
  for (const index of dmmf.datamodel.indexes) {
    const model = modelByName.get(index.model);
    if (!model) continue;
    const table = tableOf(model);
    const cols = index.fields.map((f) => columnOf(model, f.name));
    const found = dbIndexes.find(
      (i) =>
        i.table === table &&
        i.columns.join(",") === cols.join(",") &&
        (index.type === "id" ? i.isPrimary : index.type === "unique" ? i.isUnique && !i.isPrimary : !i.isUnique) &&
        !matched.has(i.name),
    );
    const label = `${table}(${cols.join(", ")})`;
    if (!found)
      add(
        index.type === "id" ? "missing primary key" : index.type === "unique" ? "missing unique" : "missing index",
        label,
        `${index.type === "normal" ? "index" : index.type === "id" ? "primary key" : "unique constraint"} on ${label} does not exist in the database`,
      );
    else matched.add(found.name);
  }
  for (const i of dbIndexes) {
    if (!matched.has(i.name))
      add(
        i.isUnique ? "extra unique" : "extra index",
        `${i.table}(${i.columns.join(", ")})`,
        `${i.isUnique ? "unique index" : "index"} ${i.name} exists in the database but not in schema.prisma`,
      );
  }

  // Foreign keys
  const matchedFks = new Set<string>();
  for (const model of dmmf.datamodel.models) {
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = modelByName.get(field.type);
      if (!target) continue;
      const table = tableOf(model);
      const cols = field.relationFromFields.map((f) => columnOf(model, f));
      const refCols = (field.relationToFields ?? []).map((f) => columnOf(target, f));
      const fromFields = field.relationFromFields.map((n) => model.fields.find((f) => f.name === n)!).filter(Boolean);
      const label = `${table}(${cols.join(", ")}) -> ${tableOf(target)}(${refCols.join(", ")})`;
      const fk = foreignKeys.rows.find(
        (r) =>
          r.table === table &&
          r.columns.join(",") === cols.join(",") &&
          r.refTable === tableOf(target) &&
          r.refColumns.join(",") === refCols.join(","),
      );
      if (!fk) {
        add("missing foreign key", label, `foreign key ${label} does not exist in the database`);
        continue;
      }
      matchedFks.add(fk.name);
      const expected = expectedOnDelete(field, fromFields);
      const actual = PG_ACTION[fk.onDelete] ?? fk.onDelete;
      if (actual !== expected)
        add("foreign key action", label, `ON DELETE is ${actual} in the database, schema expects ${expected}`);
    }
  }
  for (const fk of foreignKeys.rows) {
    if (!matchedFks.has(fk.name) && !IGNORED_TABLES.has(fk.table)) {
      add(
        "extra foreign key",
        `${fk.table}(${fk.columns.join(", ")})`,
        `foreign key ${fk.name} exists in the database but not in schema.prisma`,
      );
    }
  }
  return drift;
}
