import type { Db } from "@mammo/db";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";

/** The sites the viewer is a member of. */
export function listMySites(db: Db, viewer: Viewer) {
  return db.site.findMany({ where: { id: { in: siteIdsWithRole(viewer) } }, orderBy: { code: "asc" } });
}

/** Sites by id, unauthorised: for showing the site of a row the viewer was already allowed to see. */
export async function loadSitesByIds(db: Db, ids: readonly string[]) {
  const sites = await db.site.findMany({ where: { id: { in: [...ids] } } });
  return ids.map((id) => sites.find((s) => s.id === id) ?? new Error(`site ${id} not found`));
}

const updateSiteInput = z.object({ siteId: z.uuid(), name: z.string().trim().min(1, "required").max(200) });

/** Renames a site (its admins). The code stays: it appears in keys and exports. */
export async function updateSite(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof updateSiteInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(updateSiteInput, input);
  if (!siteIdsWithRole(viewer).includes(args.siteId)) throw notFound("site");
  if (!hasRole(viewer, args.siteId, "ADMIN")) throw forbidden("only admins of the site can change its settings");
  return db.$transaction(async (tx) => {
    const before = await tx.site.findUniqueOrThrow({ where: { id: args.siteId } });
    const after = await tx.site.update({ where: { id: args.siteId }, data: { name: args.name } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: after.id,
      action: "site.update",
      entityType: "Site",
      entityId: after.id,
      before,
      after,
      requestId: audit.requestId,
    });
    return after;
  });
}
