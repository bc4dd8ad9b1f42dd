"use client";

import { useActionState, useId } from "react";
import { placeFindingAction } from "@/app/(app)/cases/[caseId]/actions";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

/** Places a case-level finding (carried over from before findings existed) on a breast. */
export function PlaceFindingForm({ caseId, findingId }: { caseId: string; findingId: string }) {
  const [state, action, isPending] = useActionState(placeFindingAction, INITIAL_FORM_STATE);
  const id = useId();
  return (
    <form action={action} className="row" aria-label="Place on a breast">
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="findingId" value={findingId} />
      <div className="field">
        <label htmlFor={`${id}-breast`}>Place on</label>
        <select id={`${id}-breast`} name="laterality" required defaultValue="">
          <option value="" disabled>
            Choose…
          </option>
          <option value="R">Right breast</option>
          <option value="L">Left breast</option>
        </select>
      </div>
      <button type="submit" disabled={isPending}>
        Place
      </button>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}
