import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { graphql } from "./graphql";

export type Role = "ADMIN" | "COORDINATOR" | "ANNOTATOR" | "ML_ENGINEER" | "READER";
export type SiteRef = { id: string; code: string; name: string };
export type Me = { id: string; name: string; email: string; memberships: { role: Role; site: SiteRef }[] };

const ME_QUERY = /* GraphQL */ `
  query Me {
    me {
      id
      name
      email
      memberships {
        role
        site {
          id
          code
          name
        }
      }
    }
  }
`;

/** The signed-in user with their roles (once per request). */
export const getMe = cache(async (): Promise<Me | null> => (await graphql<{ me: Me | null }>(ME_QUERY)).me);

export const SITE_COOKIE = "mammo-site";

/** The sites of the user's memberships, each once, by code. */
export function sitesOf(me: Me): SiteRef[] {
  const map = new Map(me.memberships.map((m) => [m.site.id, m.site]));
  return [...map.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export const hasRole = (me: Me, ...roles: Role[]) => me.memberships.some((m) => roles.includes(m.role));
export const sitesWithRole = (me: Me, ...roles: Role[]) =>
  sitesOf(me).filter((s) => me.memberships.some((m) => m.site.id === s.id && roles.includes(m.role)));

/** The site chosen in the site switcher (null: all the user's sites), if still one of theirs. */
export async function currentSite(me: Me): Promise<SiteRef | null> {
  const id = (await cookies()).get(SITE_COOKIE)?.value;
  return sitesOf(me).find((s) => s.id === id) ?? null;
}

/** The user's Relay global id (Me.id is the raw id; UserSummary and User ids are global). */
export const userGlobalId = (me: Me) => Buffer.from(`User:${me.id}`).toString("base64");
