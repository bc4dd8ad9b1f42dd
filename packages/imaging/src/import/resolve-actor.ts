import type { Db } from "@mammo/db";
import { ImagingError } from "../errors.ts";

/** The importing user and site by email and site code (the CLI's --as and --site). */
export async function resolveActor(
  db: Db,
  siteCode: string,
  email: string,
): Promise<{ userId: string; siteId: string }> {
  const site = await db.site.findUnique({ where: { code: siteCode } });
  if (!site) throw new ImagingError("NOT_FOUND", `site ${siteCode} does not exist`);
  const user = await db.user.findUnique({ where: { email: email.toLowerCase() } });
  if (!user || user.disabledAt) throw new ImagingError("NOT_FOUND", `user ${email} does not exist or is disabled`);
  return { userId: user.id, siteId: site.id };
}
