import type { Role } from "@mammo/db";

export type SiteRole = { siteId: string; role: Role };

/** The acting user of a request, loaded fresh from the database on every request. */
export type Viewer = {
  userId: string;
  email: string;
  name: string;
  memberships: SiteRole[];
  /** "session" (web app) or "token" (personal API token). */
  via: "session" | "token";
  /** The web session the request came with (null for API tokens). */
  session: { id: string; createdAt: Date } | null;
};

/** Sites where the viewer holds any of `roles` (any role when none are given). */
export function siteIdsWithRole(viewer: Viewer, ...roles: Role[]): string[] {
  const ids = viewer.memberships.filter((m) => roles.length === 0 || roles.includes(m.role)).map((m) => m.siteId);
  return [...new Set(ids)];
}

export function hasRole(viewer: Viewer, siteId: string, ...roles: Role[]): boolean {
  return viewer.memberships.some((m) => m.siteId === siteId && (roles.length === 0 || roles.includes(m.role)));
}
