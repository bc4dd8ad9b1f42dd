"use client";

import { useActionState, useId } from "react";
import { addPathologyLabelAction, type LabelFormState } from "@/app/(app)/cases/[caseId]/actions";
import { SUBTYPES, SUBTYPE_LABEL } from "@/lib/labels";

/**
 * A pathology label: of an existing finding (`findingId`), or the first label of a new finding
 * on the breast chosen here (a NORMAL label states that breast normal).
 */
export function PathologyLabelForm({ caseId, findingId }: { caseId: string; findingId?: string }) {
  const [state, action, isPending] = useActionState<LabelFormState, FormData>(addPathologyLabelAction, {
    error: null,
    savedAt: null,
  });
  const id = useId();
  return (
    <form action={action} className="stack" aria-label={findingId ? "Add pathology label" : "New finding"}>
      <input type="hidden" name="caseId" value={caseId} />
      {findingId ? (
        <input type="hidden" name="findingId" value={findingId} />
      ) : (
        <div className="field">
          <label htmlFor={`${id}-breast`}>Breast</label>
          <select id={`${id}-breast`} name="laterality" required defaultValue="">
            <option value="" disabled>
              Choose…
            </option>
            <option value="R">Right</option>
            <option value="L">Left</option>
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-subtype`}>Subtype</label>
        <select id={`${id}-subtype`} name="subtype" required defaultValue="">
          <option value="" disabled>
            Choose…
          </option>
          {SUBTYPES.map((s) => (
            <option key={s} value={s}>
              {SUBTYPE_LABEL[s]}
            </option>
          ))}
        </select>
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-source`}>Source</label>
          <select id={`${id}-source`} name="source" defaultValue="SURGERY">
            <option value="SURGERY">Surgery</option>
            <option value="BIOPSY">Biopsy</option>
            <option value="FOLLOW_UP">Follow-up</option>
            <option value="DATASET">As the source states</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-date`}>Specimen date</label>
          <input id={`${id}-date`} type="date" name="specimenDate" />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={2000} />
      </div>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      {state.savedAt && !state.error ? (
        <p role="status" className="muted">
          Label saved.
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Save label"}
      </button>
    </form>
  );
}
