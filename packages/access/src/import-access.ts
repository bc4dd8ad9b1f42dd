import type { Db } from "@mammo/db";
import { AccessError } from "./access-error.ts";
import { hasRole, type Actor } from "./actor.ts";

/** Roles that may import images into a site. */
export const IMPORT_ROLES = ["ADMIN", "COORDINATOR"] as const;

/**
 * Whether the actor may import into the site with this code: ADMIN or COORDINATOR there. An
 * unknown site and a site the actor may not import into are refused with the same answer, so the
 * refusal does not reveal which site codes exist. Ingest (@mammo/imaging) then gets the site id.
 */
export async function authorizeImport(db: Db, actor: Actor, siteCode: string): Promise<{ siteId: string }> {
  const site = await db.site.findUnique({ where: { code: siteCode.trim() }, select: { id: true } });
  if (!site || !hasRole(actor, site.id, ...IMPORT_ROLES))
    throw new AccessError(
      "FORBIDDEN",
      "site: you cannot import into this site (it needs the ADMIN or COORDINATOR role there)",
      "site",
    );
  return { siteId: site.id };
}
