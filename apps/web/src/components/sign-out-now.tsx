"use client";

import { signOut } from "next-auth/react";
import { useEffect } from "react";

/**
 * Signs out here (the API ends the session on the server), then, after single sign-on, at the
 * provider too: its logout page returns to the sign-in page. Runs on a page of its own, so
 * nothing of the page before (images still loading) asks the API after the session has ended.
 */
export function SignOutNow() {
  useEffect(() => {
    void (async () => {
      const destination = await fetch("/api/sso-logout", { cache: "no-store" })
        .then((r) => r.json() as Promise<{ url: string }>)
        .catch(() => ({ url: "/sign-in" }));
      await signOut({ redirect: false });
      window.location.replace(destination.url);
    })();
  }, []);
  return <p className="muted">Signing out…</p>;
}
