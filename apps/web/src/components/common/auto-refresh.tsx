"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page's server data every `intervalMs` while `isActive` (live progress), showing a
 * "live" badge meanwhile unless `hasBadge` is false.
 */
export function AutoRefresh({
  isActive,
  intervalMs = 2000,
  hasBadge = true,
}: {
  isActive: boolean;
  intervalMs?: number;
  hasBadge?: boolean;
}) {
  const router = useRouter();
  useEffect(() => {
    if (!isActive) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [isActive, intervalMs, router]);
  return isActive && hasBadge ? (
    <span className="muted live-dot" role="status">
      live
    </span>
  ) : null;
}
