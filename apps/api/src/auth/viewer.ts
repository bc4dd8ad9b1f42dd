import type { Actor } from "@mammo/access";

export { hasRole, siteIdsWithRole, type SiteRole } from "@mammo/access";

/** The acting user of a request, loaded fresh from the database on every request. */
export type Viewer = Actor & {
  email: string;
  name: string;
  /** "session" (web app) or "token" (personal API token). */
  via: "session" | "token";
  /** The web session the request came with (null for API tokens). */
  session: { id: string; createdAt: Date } | null;
};
