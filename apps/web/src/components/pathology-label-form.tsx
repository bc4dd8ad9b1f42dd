"use client";

import { useActionState, useId } from "react";
import { addPathologyLabelAction } from "@/app/(app)/cases/[caseId]/actions";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField, SUBTYPE_OPTIONS } from "@/components/common/form-fields";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

/**
 * A pathology label: of an existing finding (`findingId`), or the first label of a new finding
 * on the breast chosen here (a NORMAL label states that breast normal).
 */
export function PathologyLabelForm({ caseId, findingId }: { caseId: string; findingId?: string }) {
  const [state, action, isPending] = useActionState(addPathologyLabelAction, INITIAL_FORM_STATE);
  const id = useId();
  return (
    <form action={action} className="stack" aria-label={findingId ? "Add pathology label" : "New finding"}>
      <input type="hidden" name="caseId" value={caseId} />
      {findingId ? (
        <input type="hidden" name="findingId" value={findingId} />
      ) : (
        <SelectField
          id={`${id}-breast`}
          label="Breast"
          name="laterality"
          required
          defaultValue=""
          placeholder="Choose…"
          options={[
            { value: "R", label: "Right" },
            { value: "L", label: "Left" },
          ]}
        />
      )}
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
          label="Source"
          name="source"
          defaultValue="SURGERY"
          options={[
            { value: "SURGERY", label: "Surgery" },
            { value: "BIOPSY", label: "Biopsy" },
            { value: "FOLLOW_UP", label: "Follow-up" },
            { value: "DATASET", label: "As the source states" },
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
