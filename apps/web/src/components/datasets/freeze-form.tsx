"use client";

import { useActionState } from "react";
import { freezeDatasetAction } from "@/app/(app)/datasets/actions";
import { Feedback } from "@/components/common/form-feedback";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

/** The split's fractions: the same field three times. */
const FRACTIONS = [
  { id: "fz-train", name: "train", label: "Train", placeholder: "0.7" },
  { id: "fz-val", name: "validation", label: "Validation", placeholder: "0.1" },
  { id: "fz-test", name: "test", label: "Test", placeholder: "0.2" },
];

/** Freezes the current selection into the next immutable version (split by patient, seeded). */
export function FreezeForm({ datasetId }: { datasetId: string }) {
  const [state, action, isPending] = useActionState(freezeDatasetAction, INITIAL_FORM_STATE);
  return (
    <form action={action} className="stack" aria-label="Freeze a version">
      <input type="hidden" name="datasetId" value={datasetId} />
      <div className="row">
        <div className="field">
          <label htmlFor="fz-seed">Seed</label>
          <input id="fz-seed" name="seed" type="number" placeholder="42" style={{ width: 90 }} />
        </div>
        <div className="field">
          <label htmlFor="fz-folds">Folds</label>
          <input id="fz-folds" name="folds" type="number" min={2} max={10} placeholder="4" style={{ width: 70 }} />
        </div>
        {FRACTIONS.map((f) => (
          <div key={f.id} className="field">
            <label htmlFor={f.id}>{f.label}</label>
            <input
              id={f.id}
              name={f.name}
              type="number"
              step="0.05"
              min={0}
              max={1}
              placeholder={f.placeholder}
              style={{ width: 80 }}
            />
          </div>
        ))}
      </div>
      <div className="field">
        <label htmlFor="fz-note">Note</label>
        <input id="fz-note" name="note" maxLength={2000} />
      </div>
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Freezing…" : "Freeze version"}
      </button>
    </form>
  );
}
