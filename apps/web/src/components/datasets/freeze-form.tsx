"use client";

import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { freezeDatasetAction, type FormState } from "@/app/(app)/datasets/actions";

/** Freezes the current selection into the next immutable version (split by patient, seeded). */
export function FreezeForm({ datasetId }: { datasetId: string }) {
  const [state, action, isPending] = useKeptFormAction<FormState>(freezeDatasetAction, {
    error: null,
    savedAt: null,
  });
  return (
    <form onSubmit={action} className="stack" aria-label="Freeze a version">
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
        <div className="field">
          <label htmlFor="fz-train">Train</label>
          <input
            id="fz-train"
            name="train"
            type="number"
            step="0.05"
            min={0}
            max={1}
            placeholder="0.7"
            style={{ width: 80 }}
          />
        </div>
        <div className="field">
          <label htmlFor="fz-val">Validation</label>
          <input
            id="fz-val"
            name="validation"
            type="number"
            step="0.05"
            min={0}
            max={1}
            placeholder="0.1"
            style={{ width: 80 }}
          />
        </div>
        <div className="field">
          <label htmlFor="fz-test">Test</label>
          <input
            id="fz-test"
            name="test"
            type="number"
            step="0.05"
            min={0}
            max={1}
            placeholder="0.2"
            style={{ width: 80 }}
          />
        </div>
      </div>
      <div className="field">
        <label htmlFor="fz-note">Note</label>
        <input id="fz-note" name="note" maxLength={2000} />
      </div>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Freezing…" : "Freeze version"}
      </button>
    </form>
  );
}
