"use client";

import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { useId } from "react";
import { decideConsensusAction, type LabelFormState } from "@/app/(app)/cases/[caseId]/actions";
import { SUBTYPE_LABEL, SUBTYPES, type Subtype } from "@/lib/labels";

/** Settles the case's truth: a subtype and, when the labels disagree, the rationale. */
export function AdjudicationForm({
  caseId,
  subtypes,
  needsRationale,
}: {
  caseId: string;
  subtypes: Subtype[];
  needsRationale: boolean;
}) {
  const [state, action, isPending] = useKeptFormAction<LabelFormState>(decideConsensusAction, {
    error: null,
    savedAt: null,
  });
  const id = useId();
  return (
    <form onSubmit={action} className="stack adjudication" aria-label="Adjudicate">
      <h3>{needsRationale ? "Adjudicate the conflict" : "Confirm the consensus"}</h3>
      <input type="hidden" name="caseId" value={caseId} />
      <div className="field">
        <label htmlFor={`${id}-subtype`}>Consensus subtype</label>
        <select id={`${id}-subtype`} name="subtype" defaultValue={subtypes.length === 1 ? subtypes[0] : ""} required>
          <option value="" disabled>
            Choose…
          </option>
          {SUBTYPES.map((s) => (
            <option key={s} value={s}>
              {SUBTYPE_LABEL[s]}
              {subtypes.includes(s) ? " (labelled)" : ""}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-rationale`}>Rationale{needsRationale ? "" : " (optional)"}</label>
        <textarea id={`${id}-rationale`} name="rationale" rows={2} required={needsRationale} maxLength={2000} />
      </div>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      {state.savedAt && !state.error ? (
        <p role="status" className="muted">
          Consensus recorded.
        </p>
      ) : null}
      <button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Record consensus"}
      </button>
    </form>
  );
}
