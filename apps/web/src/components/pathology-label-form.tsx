"use client";

import { useActionState, useId } from "react";
import { addPathologyLabelAction } from "@/app/(app)/cases/[caseId]/actions";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField, SUBTYPE_OPTIONS } from "@/components/common/form-fields";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

export function PathologyLabelForm({ caseId }: { caseId: string }) {
  const [state, action, isPending] = useActionState(addPathologyLabelAction, INITIAL_FORM_STATE);
  const id = useId();
  return (
    <form action={action} className="stack" aria-label="Add pathology label">
      <input type="hidden" name="caseId" value={caseId} />
      <SelectField
        id={`${id}-subtype`}
        label="Subtype"
        name="subtype"
        required
        defaultValue=""
        placeholder="Choose…"
        options={SUBTYPE_OPTIONS}
      />
      <div className="row">
        <SelectField
          id={`${id}-source`}
          label="Specimen source"
          name="source"
          defaultValue="SURGERY"
          options={[
            { value: "SURGERY", label: "Surgery" },
            { value: "BIOPSY", label: "Biopsy" },
          ]}
        />
        <div className="field">
          <label htmlFor={`${id}-date`}>Specimen date</label>
          <input id={`${id}-date`} type="date" name="specimenDate" />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={2000} />
      </div>
      <Feedback state={state} />
      <button className="primary" type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Save label"}
      </button>
    </form>
  );
}
