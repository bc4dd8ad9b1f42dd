import { SUBTYPE_LABEL, type LabelStatus, type Subtype } from "@/lib/labels";
import { AdjudicationForm } from "./adjudication-form";
import { LabelCard, type Label } from "./label-card";

type Consensus = { subtype: Subtype; method: string; rationale: string | null; decidedBy: { name: string } } | null;

/**
 * The case's pathology: the consensus, the current labels side by side when they disagree, the
 * adjudication (by someone who wrote none of the disagreeing labels), and older labels.
 */
export function PathologyPanel(props: {
  caseId: string;
  labels: Label[];
  labelStatus: LabelStatus;
  consensus: Consensus;
  canLabel: boolean;
  canAdjudicate: boolean;
  myUserId: string;
}) {
  const current = props.labels.filter((l) => l.isCurrent);
  const older = props.labels.filter((l) => !l.isCurrent);
  const subtypes = [...new Set(current.map((l) => l.subtype))];
  const hasConflict = subtypes.length > 1;
  const wroteOne = current.some((l) => l.author.id === props.myUserId);
  const { consensus } = props;
  return (
    <div className="panel stack">
      <h2>Pathology</h2>
      {consensus ? (
        <p data-testid="consensus">
          Consensus: <strong>{SUBTYPE_LABEL[consensus.subtype]}</strong>{" "}
          <span className="muted">
            ({consensus.method.toLowerCase()} by {consensus.decidedBy.name})
          </span>
          {consensus.rationale ? <span className="muted"> — {consensus.rationale}</span> : null}
        </p>
      ) : null}
      {current.length === 0 ? <p className="muted">No current pathology label.</p> : null}
      {props.labelStatus === "CONFLICT" ? (
        <p className="error" role="note">
          The current labels disagree: compare them and adjudicate.
        </p>
      ) : null}
      <div className={hasConflict ? "label-compare" : "stack"} aria-label="Current pathology labels" role="list">
        {current.map((label) => (
          <LabelCard key={label.id} caseId={props.caseId} label={label} canRetract={props.canLabel} />
        ))}
      </div>
      {props.canAdjudicate && current.length > 0 && hasConflict && wroteOne ? (
        <p className="muted" data-testid="adjudication-by-others">
          You wrote one of the disagreeing labels: another annotator or a coordinator of the site adjudicates.
        </p>
      ) : props.canAdjudicate && current.length > 0 ? (
        // Keyed by what it decides on: a new label or a new consensus starts it afresh (no stale choice).
        <AdjudicationForm
          key={`${current.map((l) => l.id).join()}-${consensus?.subtype ?? ""}-${consensus?.method ?? ""}`}
          caseId={props.caseId}
          subtypes={subtypes}
          needsRationale={hasConflict}
        />
      ) : null}
      {older.length ? (
        <details>
          <summary>Retracted and corrected labels ({older.length})</summary>
          <div className="stack">
            {older.map((label) => (
              <LabelCard key={label.id} caseId={props.caseId} label={label} canRetract={false} />
            ))}
          </div>
        </details>
      ) : null}
    </div>
  );
}
