"use server";

import { cookies } from "next/headers";
import { getMe, SITE_COOKIE, sitesOf } from "@/lib/viewer-context";

/** Remembers the chosen site (only one of the user's own); null shows all of them. */
export async function chooseSiteAction(siteId: string | null): Promise<void> {
  const jar = await cookies();
  const me = await getMe();
  if (!siteId || !me || !sitesOf(me).some((s) => s.id === siteId)) {
    jar.delete(SITE_COOKIE);
    return;
  }
  jar.set(SITE_COOKIE, siteId, { httpOnly: true, sameSite: "lax", path: "/", maxAge: 60 * 60 * 24 * 180 });
}
