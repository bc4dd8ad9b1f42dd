import { Role, type Db, type Prisma } from "@mammo/db";
import { z } from "zod";
import { hashPassword, passwordSchema } from "../../auth/password.ts";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAccountAudit, recordAudit } from "../audit/audit.service.ts";
import { revokeSessionsOfUser } from "../viewer/session.service.ts";

// Admins manage the people of their own sites. A user may belong to several sites, so changing
// the account itself (disabling it) needs admin rights at every one of them; a single site's
// admin can only take away that site's memberships.

/** Who may list a site's people: its admins, and its coordinators (to pick study readers). */
export const MEMBER_LIST_ROLES: Role[] = ["ADMIN", "COORDINATOR"];

const emailSchema = z.string().trim().toLowerCase().pipe(z.email("not an email address"));

/** Users the viewer may see: themself, and the members of sites where they may list people. */
export function visibleUsersWhere(viewer: Viewer): Prisma.UserWhereInput {
  return {
    OR: [
      { id: viewer.userId },
      { memberships: { some: { siteId: { in: siteIdsWithRole(viewer, ...MEMBER_LIST_ROLES) } } } },
    ],
  };
}

export async function loadVisibleUsers(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const users = await db.user.findMany({ where: { AND: [{ id: { in: [...ids] } }, visibleUsersWhere(viewer)] } });
  return ids.map((id) => users.find((u) => u.id === id) ?? null);
}

/**
 * Names of the people behind records the viewer already sees (a label's author, a finding's
 * creator): id and name only, so no visibility rule beyond that of the record.
 */
export async function loadUserSummaries(db: Db, ids: readonly string[]) {
  const users = await db.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, name: true } });
  return ids.map((id) => users.find((u) => u.id === id)!);
}

const listMembersInput = z.object({
  siteId: z.uuid(),
  role: z.enum(Role).optional(),
  limit: z.number().int().min(1).max(201),
  after: z.object({ email: z.string(), id: z.uuid() }).optional(),
  before: z.object({ email: z.string(), id: z.uuid() }).optional(),
  inverted: z.boolean(),
});
export type UserCursor = { email: string; id: string };

/** A page of the people of a site (any role, or one), by email. */
export async function listSiteMembers(db: Db, viewer: Viewer, input: z.input<typeof listMembersInput>) {
  const args = parseInput(listMembersInput, input);
  if (!hasRole(viewer, args.siteId, ...MEMBER_LIST_ROLES)) return [];
  const keyset = (c: UserCursor, dir: "gt" | "lt"): Prisma.UserWhereInput => ({
    OR: [{ email: { [dir]: c.email } }, { email: c.email, id: { [dir]: c.id } }],
  });
  const and: Prisma.UserWhereInput[] = [
    { memberships: { some: { siteId: args.siteId, ...(args.role ? { role: args.role } : {}) } } },
  ];
  if (args.after) and.push(keyset(args.after, "gt"));
  if (args.before) and.push(keyset(args.before, "lt"));
  const direction = args.inverted ? "desc" : "asc";
  return db.user.findMany({
    where: { AND: and },
    orderBy: [{ email: direction }, { id: direction }],
    take: args.limit,
  });
}

/** Memberships of many users (data loader), limited to sites where the viewer lists people (all of their own). */
export async function loadMembershipsByUserIds(db: Db, viewer: Viewer | null, userIds: readonly string[]) {
  if (!viewer) return userIds.map(() => []);
  const listable = siteIdsWithRole(viewer, ...MEMBER_LIST_ROLES);
  const memberships = await db.membership.findMany({
    where: { userId: { in: [...userIds] }, OR: [{ userId: viewer.userId }, { siteId: { in: listable } }] },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return userIds.map((id) => memberships.filter((m) => m.userId === id));
}

const createUserInput = z.object({
  siteId: z.uuid(),
  email: emailSchema,
  name: z.string().trim().min(1, "required").max(200),
  password: passwordSchema.optional(),
  roles: z.array(z.enum(Role)).min(1, "give the user at least one role").max(5),
});

/**
 * A new account with roles at one site (an ADMIN of that site). Without a password the account
 * signs in only by single sign-on (linked on first sign-in by its verified email).
 */
export async function createUser(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof createUserInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(createUserInput, input);
  if (!hasRole(viewer, args.siteId, "ADMIN")) throw forbidden("only admins of the site can create its users");
  const passwordHash = args.password ? await hashPassword(args.password) : null;
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email: args.email }, select: { id: true } })) {
      throw new AppError("CONFLICT", "email: a user with this email exists; add a membership to that user instead", {
        field: "email",
      });
    }
    const user = await tx.user.create({
      data: {
        email: args.email,
        name: args.name,
        passwordHash,
        memberships: { create: [...new Set(args.roles)].map((role) => ({ siteId: args.siteId, role })) },
      },
      include: { memberships: true },
    });
    const { passwordHash: _hash, ...shown } = user;
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: args.siteId,
      action: "user.create",
      entityType: "User",
      entityId: user.id,
      after: shown,
      requestId: audit.requestId,
    });
    return user;
  });
}

/**
 * A user the viewer may change as an account (not just a membership): ADMIN at every site the
 * user belongs to, and never oneself. Loaded in the caller's transaction.
 */
async function manageableAccount(tx: Prisma.TransactionClient, viewer: Viewer, userId: string, what: string) {
  const user = await tx.user.findFirst({
    where: { AND: [{ id: userId }, visibleUsersWhere(viewer)] },
    include: { memberships: true },
  });
  if (!user) throw notFound("user");
  if (user.id === viewer.userId) throw forbidden(`you cannot ${what} your own account`);
  const sites = [...new Set(user.memberships.map((m) => m.siteId))];
  if (sites.length === 0 || !sites.every((siteId) => hasRole(viewer, siteId, "ADMIN"))) {
    throw forbidden(
      `only an admin of every site the user belongs to can ${what} the account; remove the membership of your site instead`,
    );
  }
  return { user, sites };
}

/**
 * Removes the account's link to a single-sign-on identity (a changed subject or issuer at the
 * provider): the next single sign-on links it again by verified email. Admins of every site the
 * user belongs to; audited at each of them.
 */
export async function unlinkSingleSignOn(db: Db, viewer: Viewer, userId: string, audit: { requestId?: string } = {}) {
  const id = parseInput(z.uuid(), userId);
  return db.$transaction(async (tx) => {
    const { user } = await manageableAccount(tx, viewer, id, "unlink");
    if (!user.oidcSubject) return user;
    const updated = await tx.user.update({ where: { id: user.id }, data: { oidcSubject: null } });
    await recordAccountAudit(tx, user.id, {
      actorId: viewer.userId,
      action: "user.unlinkSingleSignOn",
      entityType: "User",
      entityId: user.id,
      before: { oidcSubject: user.oidcSubject },
      after: { oidcSubject: null },
      requestId: audit.requestId,
    });
    return updated;
  });
}

const setDisabledInput = z.object({ userId: z.uuid(), isDisabled: z.boolean() });

/**
 * Disables (or re-enables) an account: every request with its sessions or tokens is refused from
 * the next one on. Needs ADMIN at every site the user belongs to; never oneself.
 */
export async function setUserDisabled(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof setDisabledInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(setDisabledInput, input);
  return db.$transaction(async (tx) => {
    const { user, sites } = await manageableAccount(tx, viewer, args.userId, "disable");
    if (Boolean(user.disabledAt) === args.isDisabled) return user;
    const updated = await tx.user.update({
      where: { id: user.id },
      data: { disabledAt: args.isDisabled ? new Date() : null },
      include: { memberships: true },
    });
    // Disabling ends every web session for good; enabling does not bring them back.
    if (args.isDisabled) await revokeSessionsOfUser(tx, user.id);
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: sites[0]!,
      action: args.isDisabled ? "user.disable" : "user.enable",
      entityType: "User",
      entityId: user.id,
      before: { disabledAt: user.disabledAt },
      after: { disabledAt: updated.disabledAt },
      requestId: audit.requestId,
    });
    return updated;
  });
}
