import type { Db, Role } from "@mammo/db";
import { AccessError } from "./access-error.ts";

export type SiteRole = { siteId: string; role: Role };

/** Who is acting: a user and their roles per site, read from the database for each request or command. */
export type Actor = { userId: string; memberships: SiteRole[] };

/** Sites where the actor holds any of `roles` (any role when none are given). */
export function siteIdsWithRole(actor: Actor, ...roles: Role[]): string[] {
  const ids = actor.memberships.filter((m) => roles.length === 0 || roles.includes(m.role)).map((m) => m.siteId);
  return [...new Set(ids)];
}

export function hasRole(actor: Actor, siteId: string, ...roles: Role[]): boolean {
  return actor.memberships.some((m) => m.siteId === siteId && (roles.length === 0 || roles.includes(m.role)));
}

/**
 * The active user with this email and their memberships, as the API's authentication would
 * load them (the CLIs' `--as EMAIL`). A missing and a disabled account are refused alike.
 */
export async function loadActorByEmail(db: Db, email: string, field = "as") {
  const user = await db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    include: { memberships: { select: { siteId: true, role: true } } },
  });
  if (!user || user.disabledAt) throw new AccessError("NOT_FOUND", `${field}: no active user ${email}`, field);
  return { userId: user.id, email: user.email, memberships: user.memberships };
}
