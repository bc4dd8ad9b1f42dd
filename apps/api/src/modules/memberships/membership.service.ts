import { Role, type Db, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { MEMBER_LIST_ROLES } from "../users/user.service.ts";

/** Memberships by id (node lookup): one's own, and those of sites where the viewer lists people. */
export async function loadVisibleMemberships(db: Db | Tx, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const rows = await db.membership.findMany({
    where: {
      id: { in: [...ids] },
      OR: [{ userId: viewer.userId }, { siteId: { in: siteIdsWithRole(viewer, ...MEMBER_LIST_ROLES) } }],
    },
  });
  return ids.map((id) => rows.find((m) => m.id === id) ?? null);
}

/** The viewer's own memberships (fresh from the database). */
export function listMyMemberships(db: Db, viewer: Viewer) {
  return db.membership.findMany({ where: { userId: viewer.userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

const addInput = z.object({
  siteId: z.uuid(),
  email: z.string().trim().toLowerCase().pipe(z.email("not an email address")),
  role: z.enum(Role),
});

/**
 * Gives an existing user (found by email: they may come from another site, e.g. a reader) a
 * role at the admin's site. Takes effect on the user's next request.
 */
export async function addMembership(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof addInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(addInput, input);
  if (!hasRole(viewer, args.siteId, "ADMIN")) throw forbidden("only admins of the site can add its members");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { email: args.email }, select: { id: true } });
    if (!user)
      throw new AppError("NOT_FOUND", "email: no user has this email; create the user instead", { field: "email" });
    const existing = await tx.membership.findUnique({
      where: { userId_siteId_role: { userId: user.id, siteId: args.siteId, role: args.role } },
    });
    if (existing) throw new AppError("CONFLICT", "the user already holds this role at this site");
    const membership = await tx.membership.create({ data: { userId: user.id, siteId: args.siteId, role: args.role } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: args.siteId,
      action: "membership.create",
      entityType: "Membership",
      entityId: membership.id,
      after: membership,
      requestId: audit.requestId,
    });
    return membership;
  });
}

const removeInput = z.object({ membershipId: z.uuid() });

/**
 * Removes a role from a user at the admin's site; the user loses it on their next request. The
 * last ADMIN of a site cannot be removed (nobody could manage the site afterwards).
 */
export async function removeMembership(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof removeInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(removeInput, input);
  return db.$transaction(async (tx) => {
    const [membership] = await loadVisibleMemberships(tx, viewer, [args.membershipId]);
    if (!membership) throw notFound("membership");
    if (!hasRole(viewer, membership.siteId, "ADMIN")) throw forbidden("only admins of the site can remove its members");
    if (membership.role === "ADMIN") {
      // Serialise admin removals of the site, so two admins cannot remove each other at once.
      await tx.$queryRaw`SELECT 1 FROM "Site" WHERE id = ${membership.siteId}::uuid FOR UPDATE`;
      const admins = await tx.membership.count({ where: { siteId: membership.siteId, role: "ADMIN" } });
      if (admins <= 1) throw new AppError("CONFLICT", "this is the site's last admin; make someone else admin first");
    }
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: membership.siteId,
      action: "membership.delete",
      entityType: "Membership",
      entityId: membership.id,
      before: membership,
      requestId: audit.requestId,
    });
    return membership;
  });
}
