"use client";

import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { startTrainingAction, type FormState } from "@/app/(app)/training/actions";
import { Feedback, FieldError } from "@/components/common/form-feedback";

type VersionOption = { id: string; label: string };

/** Starts a run: a frozen dataset version, a preset, optional seed and parameter overrides (JSON). */
export function StartTrainingForm({ versions }: { versions: VersionOption[] }) {
  const [state, action, isPending] = useKeptFormAction<FormState>(startTrainingAction, { error: null });
  if (versions.length === 0)
    return <p className="muted">No frozen dataset version at your sites yet: freeze one on the Datasets page first.</p>;
  return (
    <form onSubmit={action} className="stack" aria-label="Start a training run">
      <div className="row">
        <div className="field">
          <label htmlFor="tr-version">Dataset version</label>
          <select id="tr-version" name="datasetVersionId" required>
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tr-preset">Preset</label>
          <select id="tr-preset" name="preset" defaultValue="ueda-2020">
            <option value="ueda-2020">ueda-2020 (the study protocol: VGG-16, 50 epochs, 4 folds)</option>
            <option value="quick">quick (small and fast, for trials)</option>
          </select>
        </div>
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
          aria-invalid={state.field === "params"}
        />
        <FieldError state={state} field="params" />
      </div>
      <Feedback state={state} fields={["params"]} />
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Starting…" : "Start training"}
      </button>
    </form>
  );
}
