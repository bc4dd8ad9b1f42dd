import type { Db } from "@mammo/db";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";

/** The sites the viewer is a member of. */
export function listMySites(db: Db, viewer: Viewer) {
  return db.site.findMany({ where: { id: { in: siteIdsWithRole(viewer) } }, orderBy: { code: "asc" } });
}

export async function loadSitesByIds(db: Db, ids: readonly string[]) {
  const sites = await db.site.findMany({ where: { id: { in: [...ids] } } });
  return ids.map((id) => sites.find((s) => s.id === id) ?? new Error(`site ${id} not found`));
}
