"use client";

import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { useId } from "react";
import { addPathologyLabelAction, type LabelFormState } from "@/app/(app)/cases/[caseId]/actions";
import { Feedback, FieldError } from "@/components/common/form-feedback";
import { SUBTYPES, SUBTYPE_LABEL } from "@/lib/labels";

const FIELDS = ["subtype", "specimenDate", "note"];

export function PathologyLabelForm({ caseId }: { caseId: string }) {
  const [state, action, isPending] = useKeptFormAction<LabelFormState>(addPathologyLabelAction, {
    error: null,
    savedAt: null,
  });
  const id = useId();
  return (
    <form onSubmit={action} className="stack" aria-label="Add pathology label">
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
        <FieldError state={state} field="subtype" />
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
          <FieldError state={state} field="specimenDate" />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={2000} />
        <FieldError state={state} field="note" />
      </div>
      <Feedback state={{ ...state, message: state.savedAt ? "Label saved." : null }} fields={FIELDS} />
      <button className="primary" type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Save label"}
      </button>
    </form>
  );
}
