import { formatDateTime } from "@/lib/format";
import { subtypeLabel } from "@/lib/labels";

export type PathologyEvent = {
  kind: string;
  at: string;
  subtype: string;
  detail: string | null;
  actor: { name: string } | null;
};

const KIND_LABEL: Record<string, string> = {
  LABEL_ADDED: "Label added",
  LABEL_CORRECTED: "Label corrected",
  LABEL_RETRACTED: "Label retracted",
  CONSENSUS_DECIDED: "Consensus decided",
  CONSENSUS_SUPERSEDED: "Consensus superseded",
};

/** Every label and consensus change of the case, oldest first. */
export function PathologyHistory({ events }: { events: PathologyEvent[] }) {
  if (events.length === 0) return <p className="muted">No pathology history yet.</p>;
  return (
    <ol className="timeline" aria-label="Pathology history">
      {events.map((e, i) => (
        <li key={i}>
          <span className="muted">{formatDateTime(e.at)}</span> {KIND_LABEL[e.kind] ?? e.kind}:{" "}
          <strong>{subtypeLabel(e.subtype)}</strong>
          {e.actor ? <span className="muted"> · {e.actor.name}</span> : null}
          {e.detail ? <div className="muted">{e.detail}</div> : null}
        </li>
      ))}
    </ol>
  );
}
