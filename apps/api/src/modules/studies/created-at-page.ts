import { resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { AppError } from "../../errors/app-error.ts";

/**
 * Keyset pagination over (createdAt, id), newest first, for the lists of this area (studies,
 * training runs, model versions, inference runs, evaluations). A cursor is the position of a row,
 * so pages stay stable while new rows arrive.
 */
export type CreatedAtCursor = { createdAt: Date; id: string };

export type CreatedAtPage = {
  limit: number;
  /** true when paging backwards (`last`/`before`): rows come oldest first and Pothos reverses them. */
  inverted: boolean;
  after?: CreatedAtCursor;
  before?: CreatedAtCursor;
};

const encodeCursor = (row: CreatedAtCursor) =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");

function decodeCursor(cursor: string): CreatedAtCursor {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    const createdAt = new Date(String(at));
    if (typeof at !== "string" || typeof id !== "string" || Number.isNaN(createdAt.getTime()))
      throw new Error("bad cursor");
    return { createdAt, id };
  } catch {
    throw new AppError("VALIDATION", "cursor: not a cursor this API issued", { field: "cursor" });
  }
}

/** The `where` conditions and `orderBy` of one page (newest first). */
export function createdAtPageQuery(page: CreatedAtPage) {
  // "after" walks towards older rows; "before" towards newer ones.
  const older = (c: CreatedAtCursor) => ({
    OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }],
  });
  const newer = (c: CreatedAtCursor) => ({
    OR: [{ createdAt: { gt: c.createdAt } }, { createdAt: c.createdAt, id: { gt: c.id } }],
  });
  const where = [...(page.after ? [older(page.after)] : []), ...(page.before ? [newer(page.before)] : [])];
  const direction = page.inverted ? ("asc" as const) : ("desc" as const);
  return { where, orderBy: [{ createdAt: direction }, { id: direction }], take: page.limit };
}

/** A Relay connection over a service's page function. */
export function resolveCreatedAtConnection<T extends CreatedAtCursor>(
  args: { first?: number | null; last?: number | null; before?: string | null; after?: string | null },
  loadPage: (page: CreatedAtPage) => Promise<T[]>,
) {
  return resolveCursorConnection(
    { args, toCursor: (row: T) => encodeCursor(row), defaultSize: 20, maxSize: 100 },
    ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
      loadPage({
        limit,
        inverted,
        after: after ? decodeCursor(after) : undefined,
        before: before ? decodeCursor(before) : undefined,
      }),
  );
}
