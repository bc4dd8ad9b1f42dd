import { AdjudicationForm } from "@/components/pathology/adjudication-form";
import { LabelCard, type Label } from "@/components/pathology/label-card";
import { PlaceFindingForm } from "@/components/pathology/place-finding-form";
import { PathologyLabelForm } from "@/components/pathology-label-form";
import { LABEL_STATUS_LABEL, SUBTYPE_LABEL, type LabelStatus, type Subtype } from "@/lib/labels";

export type Finding = {
  id: string;
  key: string;
  laterality: "R" | "L" | null;
  labelStatus: LabelStatus;
  truth: Subtype | null;
  pathologyLabels: Label[];
  consensus: { subtype: Subtype; method: string; rationale: string | null; decidedBy: { name: string } } | null;
};

export const BREAST_NAME = { R: "right breast", L: "left breast" } as const;

/** One finding: its breast, truth, labels (side by side when they disagree), consensus and forms. */
export function FindingPanel({
  caseId,
  finding,
  isAnnotator,
  canAdjudicate,
}: {
  caseId: string;
  finding: Finding;
  isAnnotator: boolean;
  canAdjudicate: boolean;
}) {
  const current = finding.pathologyLabels.filter((l) => l.isCurrent);
  const older = finding.pathologyLabels.filter((l) => !l.isCurrent);
  const hasConflict = finding.labelStatus === "CONFLICT";
  const where = finding.laterality ? BREAST_NAME[finding.laterality] : "breast not known";
  return (
    <section className="panel stack" role="group" aria-label={`Finding ${finding.key} (${where})`}>
      <h3>
        Finding {finding.key} <span className="muted">· {where}</span>{" "}
        <span className={`badge status-${finding.labelStatus.toLowerCase()}`}>
          {finding.truth ? `${SUBTYPE_LABEL[finding.truth]} · ` : ""}
          {LABEL_STATUS_LABEL[finding.labelStatus]}
        </span>
      </h3>
      {finding.consensus ? (
        <p data-testid="consensus">
          Consensus: <strong>{SUBTYPE_LABEL[finding.consensus.subtype]}</strong>{" "}
          <span className="muted">
            ({finding.consensus.method.toLowerCase()} by {finding.consensus.decidedBy.name})
          </span>
          {finding.consensus.rationale ? <span className="muted"> — {finding.consensus.rationale}</span> : null}
        </p>
      ) : null}
      {current.length === 0 ? <p className="muted">No current pathology label.</p> : null}
      {hasConflict ? (
        <p className="error" role="note">
          The current labels disagree: compare them and adjudicate.
        </p>
      ) : null}
      <div className={hasConflict ? "label-compare" : "stack"} aria-label="Current pathology labels" role="list">
        {current.map((label) => (
          <LabelCard key={label.id} caseId={caseId} label={label} canRetract={isAnnotator} />
        ))}
      </div>
      {canAdjudicate && current.length > 0 ? (
        <AdjudicationForm
          caseId={caseId}
          findingId={finding.id}
          subtypes={[...new Set(current.map((l) => l.subtype))]}
          needsRationale={hasConflict}
        />
      ) : null}
      {older.length ? (
        <details>
          <summary>Retracted and corrected labels ({older.length})</summary>
          <div className="stack">
            {older.map((label) => (
              <LabelCard key={label.id} caseId={caseId} label={label} canRetract={false} />
            ))}
          </div>
        </details>
      ) : null}
      {isAnnotator && !finding.laterality ? <PlaceFindingForm caseId={caseId} findingId={finding.id} /> : null}
      {isAnnotator ? (
        <details>
          <summary>Add a label to finding {finding.key}</summary>
          <PathologyLabelForm caseId={caseId} findingId={finding.id} />
        </details>
      ) : null}
    </section>
  );
}
