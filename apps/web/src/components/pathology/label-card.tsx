"use client";

import { useState, useTransition } from "react";
import { retractLabelAction } from "@/app/(app)/cases/[caseId]/actions";
import { formatDateTime } from "@/lib/format";
import { SUBTYPE_LABEL, type Subtype } from "@/lib/labels";

export type Label = {
  id: string;
  subtype: Subtype;
  source: "BIOPSY" | "SURGERY" | "FOLLOW_UP" | "DATASET";
  specimenDate: string | null;
  note: string | null;
  author: { id: string; name: string };
  createdAt: string;
  retractedAt: string | null;
  isCurrent: boolean;
};

/** One pathology label with its provenance; current labels can be retracted with a reason. */
export function LabelCard({ caseId, label, canRetract }: { caseId: string; label: Label; canRetract: boolean }) {
  const [isRetracting, setRetracting] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [isPending, startTransition] = useTransition();
  return (
    <article
      className="label-card"
      data-testid="pathology-label"
      role="listitem"
      aria-label={`${SUBTYPE_LABEL[label.subtype]} label by ${label.author.name}`}
    >
      <strong>{SUBTYPE_LABEL[label.subtype]}</strong>{" "}
      <span className="muted">
        {label.source.toLowerCase().replace("_", "-")}
        {label.specimenDate ? `, ${label.specimenDate}` : ""} · {label.author.name} · {formatDateTime(label.createdAt)}
      </span>
      {label.retractedAt ? (
        <span className="badge">retracted</span>
      ) : !label.isCurrent ? (
        <span className="badge">corrected</span>
      ) : null}
      {label.note ? <div className="muted">{label.note}</div> : null}
      {canRetract && label.isCurrent ? (
        isRetracting ? (
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault();
              startTransition(async () => {
                const result = await retractLabelAction(caseId, label.id, reason.trim());
                if (result.ok) setRetracting(false);
                else setError(result.error);
              });
            }}
          >
            <div className="field">
              <label htmlFor={`retract-${label.id}`}>Reason for retracting</label>
              <input
                id={`retract-${label.id}`}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                minLength={3}
              />
            </div>
            <button type="submit" disabled={isPending}>
              Retract
            </button>
            <button type="button" onClick={() => setRetracting(false)}>
              Cancel
            </button>
            {error ? (
              <p role="alert" className="error">
                {error}
              </p>
            ) : null}
          </form>
        ) : (
          <div>
            <button type="button" className="link-button" onClick={() => setRetracting(true)}>
              Retract…
            </button>
          </div>
        )
      ) : null}
    </article>
  );
}
