"use client";

import { useActionState, useId } from "react";
import { addPathologyLabelAction, type LabelFormState } from "@/app/(app)/cases/[caseId]/actions";
import { SUBTYPES, SUBTYPE_LABEL } from "@/lib/labels";

export function PathologyLabelForm({ caseId }: { caseId: string }) {
  const [state, action, isPending] = useActionState<LabelFormState, FormData>(addPathologyLabelAction, {
    error: null,
    savedAt: null,
  });
  const id = useId();
  return (
    <form action={action} className="stack" aria-label="Add pathology label">
      <input type="hidden" name="caseId" value={caseId} />
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
          <label htmlFor={`${id}-source`}>Specimen source</label>
          <select id={`${id}-source`} name="source" defaultValue="SURGERY">
            <option value="SURGERY">Surgery</option>
            <option value="BIOPSY">Biopsy</option>
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
