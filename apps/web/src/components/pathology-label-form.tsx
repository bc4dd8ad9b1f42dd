"use client";

import { useId } from "react";
import { addPathologyLabelAction } from "@/app/(app)/cases/[caseId]/actions";
import { Feedback, FieldError } from "@/components/common/form-feedback";
import { SelectField, SUBTYPE_OPTIONS } from "@/components/common/form-fields";
import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

const FIELDS = ["subtype", "specimenDate", "note"];

export function PathologyLabelForm({ caseId }: { caseId: string }) {
  const [state, action, isPending] = useKeptFormAction(addPathologyLabelAction, INITIAL_FORM_STATE);
  const id = useId();
  return (
    <form onSubmit={action} className="stack" aria-label="Add pathology label">
      <input type="hidden" name="caseId" value={caseId} />
      <SelectField
        id={`${id}-subtype`}
        label="Subtype"
        name="subtype"
        required
        defaultValue=""
        placeholder="Choose…"
        options={SUBTYPE_OPTIONS}
      >
        <FieldError state={state} field="subtype" />
      </SelectField>
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
          <FieldError state={state} field="specimenDate" />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note</label>
        <textarea id={`${id}-note`} name="note" rows={2} maxLength={2000} />
        <FieldError state={state} field="note" />
      </div>
      <Feedback state={state} fields={FIELDS} />
      <button className="primary" type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Save label"}
      </button>
    </form>
  );
}
