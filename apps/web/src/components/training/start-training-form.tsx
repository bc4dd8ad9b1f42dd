"use client";

import { useActionState } from "react";
import { startTrainingAction } from "@/app/(app)/training/actions";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField } from "@/components/common/form-fields";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

type VersionOption = { id: string; label: string };

/** Starts a run: a frozen dataset version, a preset, optional seed and parameter overrides (JSON). */
export function StartTrainingForm({ versions }: { versions: VersionOption[] }) {
  const [state, action, isPending] = useActionState(startTrainingAction, INITIAL_FORM_STATE);
  if (versions.length === 0)
    return <p className="muted">No frozen dataset version at your sites yet: freeze one on the Datasets page first.</p>;
  return (
    <form action={action} className="stack" aria-label="Start a training run">
      <div className="row">
        <SelectField
          id="tr-version"
          label="Dataset version"
          name="datasetVersionId"
          required
          options={versions.map((v) => ({ value: v.id, label: v.label }))}
        />
        <SelectField
          id="tr-preset"
          label="Preset"
          name="preset"
          defaultValue="ueda-2020"
          options={[
            { value: "ueda-2020", label: "ueda-2020 (the study protocol: VGG-16, 50 epochs, 4 folds)" },
            { value: "quick", label: "quick (small and fast, for trials)" },
          ]}
        />
        <div className="field">
          <label htmlFor="tr-seed">Seed</label>
          <input id="tr-seed" name="seed" type="number" style={{ width: 100 }} placeholder="preset's" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="tr-params">Parameter overrides (JSON, optional)</label>
        <textarea
          id="tr-params"
          name="params"
          rows={2}
          placeholder='{"epochs": 10, "optimizer": {"learningRate": 0.0001}}'
          spellCheck={false}
        />
      </div>
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Starting…" : "Start training"}
      </button>
    </form>
  );
}
