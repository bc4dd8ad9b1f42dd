"use client";

import { useActionState, useId } from "react";
import { decideConsensusAction } from "@/app/(app)/cases/[caseId]/actions";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField, SUBTYPE_OPTIONS } from "@/components/common/form-fields";
import { INITIAL_FORM_STATE } from "@/lib/form-state";
import type { Subtype } from "@/lib/labels";

/** Settles a finding's truth: a subtype and, when its labels disagree, the rationale. */
export function AdjudicationForm({
  caseId,
  findingId,
  subtypes,
  needsRationale,
}: {
  caseId: string;
  findingId: string;
  subtypes: Subtype[];
  needsRationale: boolean;
}) {
  const [state, action, isPending] = useActionState(decideConsensusAction, INITIAL_FORM_STATE);
  const id = useId();
  return (
    <form action={action} className="stack adjudication" aria-label="Adjudicate">
      <h3>{needsRationale ? "Adjudicate the conflict" : "Confirm the consensus"}</h3>
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="findingId" value={findingId} />
      <SelectField
        id={`${id}-subtype`}
        label="Consensus subtype"
        name="subtype"
        required
        defaultValue={subtypes.length === 1 ? subtypes[0] : ""}
        placeholder="Choose…"
        options={SUBTYPE_OPTIONS.map((o) => ({
          ...o,
          label: subtypes.includes(o.value as Subtype) ? `${o.label} (labelled)` : o.label,
        }))}
      />
      <div className="field">
        <label htmlFor={`${id}-rationale`}>Rationale{needsRationale ? "" : " (optional)"}</label>
        <textarea id={`${id}-rationale`} name="rationale" rows={2} required={needsRationale} maxLength={2000} />
      </div>
      <Feedback state={state} />
      <button type="submit" disabled={isPending}>
        {isPending ? "Saving…" : "Record consensus"}
      </button>
    </form>
  );
}
