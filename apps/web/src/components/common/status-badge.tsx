const TONE: Record<string, string> = {
  SUCCEEDED: "ok",
  FAILED: "bad",
  CANCELLED: "muted",
  CANCELLING: "warn",
  RUNNING: "info",
  QUEUED: "muted",
  OPEN: "info",
  CLOSED: "ok",
  DRAFT: "muted",
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge tone-${TONE[status] ?? "muted"}`}>{status.toLowerCase()}</span>;
}
