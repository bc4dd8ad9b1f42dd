"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { chooseSiteAction } from "@/app/(app)/site-actions";

/** Which site the lists show (all of the user's sites by default); kept in a cookie. */
export function SiteSwitcher({
  sites,
  currentId,
}: {
  sites: { id: string; code: string; name: string }[];
  currentId: string | null;
}) {
  const router = useRouter();
  const [isPending, startTransition] = useTransition();
  if (sites.length === 0) return null;
  return (
    <label className="inline-field">
      Site
      <select
        aria-label="Site"
        value={currentId ?? ""}
        disabled={isPending}
        onChange={(event) => {
          const value = event.target.value;
          startTransition(async () => {
            await chooseSiteAction(value || null);
            router.refresh();
          });
        }}
      >
        {sites.length > 1 ? <option value="">All my sites</option> : null}
        {sites.map((s) => (
          <option key={s.id} value={s.id}>
            {s.code} · {s.name}
          </option>
        ))}
      </select>
    </label>
  );
}
