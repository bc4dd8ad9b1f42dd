"use client";

import { freezeDatasetAction } from "@/app/(app)/datasets/actions";
import { FeedbackAndSubmit } from "@/components/common/form-feedback";
import { InputField } from "@/components/common/form-fields";
import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

/** The split's fractions: the same field three times. */
const FRACTIONS = [
  { id: "fz-train", name: "train", label: "Train", placeholder: "0.7" },
  { id: "fz-val", name: "validation", label: "Validation", placeholder: "0.1" },
  { id: "fz-test", name: "test", label: "Test", placeholder: "0.2" },
];

/** Freezes the current selection into the next immutable version (split by patient, seeded). */
export function FreezeForm({ datasetId }: { datasetId: string }) {
  const [state, action, isPending] = useKeptFormAction(freezeDatasetAction, INITIAL_FORM_STATE);
  return (
    <form onSubmit={action} className="stack" aria-label="Freeze a version">
      <input type="hidden" name="datasetId" value={datasetId} />
      <div className="row">
        <InputField id="fz-seed" label="Seed" name="seed" type="number" placeholder="42" style={{ width: 90 }} />
        <InputField
          id="fz-folds"
          label="Folds"
          name="folds"
          type="number"
          min={2}
          max={10}
          placeholder="4"
          style={{ width: 70 }}
        />
        {FRACTIONS.map((f) => (
          <InputField
            key={f.id}
            id={f.id}
            label={f.label}
            name={f.name}
            type="number"
            step="0.05"
            min={0}
            max={1}
            placeholder={f.placeholder}
            style={{ width: 80 }}
          />
        ))}
      </div>
      <InputField id="fz-note" label="Note" name="note" maxLength={2000} />
      <FeedbackAndSubmit state={state} isDisabled={isPending}>
        {isPending ? "Freezing…" : "Freeze version"}
      </FeedbackAndSubmit>
    </form>
  );
}
