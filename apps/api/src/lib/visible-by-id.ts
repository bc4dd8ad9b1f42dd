import type { Db } from "@mammo/db";
import { z } from "zod";
import type { Viewer } from "../auth/viewer.ts";
import { notFound } from "../errors/app-error.ts";
import { parseInput } from "../errors/parse-input.ts";

/**
 * Get-by-id and the data loader of one kind of row, both from one query: `findVisible` returns
 * the rows among `ids` that the viewer may see, so what one may not see is "not found" to `get`
 * and null to `load` (which also answers null for every id without a viewer).
 */
export function visibleById<Row extends { id: string }>(
  what: string,
  findVisible: (db: Db, viewer: Viewer, ids: string[]) => Promise<Row[]>,
) {
  return {
    async get(db: Db, viewer: Viewer, id: string): Promise<Row> {
      const [row] = await findVisible(db, viewer, [parseInput(z.uuid(), id)]);
      if (!row) throw notFound(what);
      return row;
    },
    async load(db: Db, viewer: Viewer | null, ids: readonly string[]): Promise<(Row | null)[]> {
      if (!viewer) return ids.map(() => null);
      const byId = new Map((await findVisible(db, viewer, [...ids])).map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    },
  };
}
