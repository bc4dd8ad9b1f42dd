"use client";

import Link from "next/link";
import { useState } from "react";
import { startTrainingAction } from "@/app/(app)/training/actions";
import { Feedback, FieldError } from "@/components/common/form-feedback";
import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

type VersionOption = { id: string; label: string; siteId: string; siteCode: string };
type WeightsOption = { id: string; label: string; siteId: string };

/**
 * Starts a run: a frozen dataset version, a preset, optional seed and parameter overrides (JSON).
 * The ueda-2020 preset starts from registered ImageNet weights of the dataset's site: without any
 * the form says so before starting, and offers to upload them or to train with quick instead.
 */
export function StartTrainingForm({ versions, weights }: { versions: VersionOption[]; weights: WeightsOption[] }) {
  const [state, action, isPending] = useKeptFormAction(startTrainingAction, INITIAL_FORM_STATE);
  const [preset, setPreset] = useState("ueda-2020");
  const [versionId, setVersionId] = useState(versions[0]?.id ?? "");
  if (versions.length === 0)
    return <p className="muted">No frozen dataset version at your sites yet: freeze one on the Datasets page first.</p>;
  const version = versions.find((v) => v.id === versionId) ?? versions[0]!;
  const siteWeights = weights.filter((w) => w.siteId === version.siteId);
  const lacksWeights = preset === "ueda-2020" && siteWeights.length === 0;
  return (
    <form onSubmit={action} className="stack" aria-label="Start a training run">
      <div className="row">
        <div className="field">
          <label htmlFor="tr-version">Dataset version</label>
          <select
            id="tr-version"
            name="datasetVersionId"
            required
            value={versionId}
            onChange={(e) => setVersionId(e.target.value)}
          >
            {versions.map((v) => (
              <option key={v.id} value={v.id}>
                {v.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tr-preset">Preset</label>
          <select id="tr-preset" name="preset" value={preset} onChange={(e) => setPreset(e.target.value)}>
            <option value="ueda-2020">
              ueda-2020 (the study protocol: VGG-16 from ImageNet weights, 500 px, 50 epochs, 4 folds)
            </option>
            <option value="quick">quick (small and fast, from random weights, for trials)</option>
          </select>
        </div>
        {preset === "ueda-2020" && siteWeights.length > 0 ? (
          <div className="field">
            <label htmlFor="tr-weights">ImageNet weights</label>
            <select id="tr-weights" name="imagenetWeightsId" defaultValue={siteWeights[0]!.id}>
              {siteWeights.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="tr-seed">Seed</label>
          <input id="tr-seed" name="seed" type="number" style={{ width: 100 }} placeholder="preset's" />
        </div>
      </div>
      {lacksWeights ? (
        <div className="notice" role="status" data-testid="weights-missing">
          <p>
            The ueda-2020 preset fine-tunes VGG-16 from ImageNet weights, and none are registered at {version.siteCode}.{" "}
            <Link href="/models/weights">Upload Keras&apos; VGG16 weights file</Link> (once per site), or train from
            random weights with the quick preset.
          </p>
          <button type="button" onClick={() => setPreset("quick")}>
            Use the quick preset instead
          </button>
        </div>
      ) : null}
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
      <button type="submit" className="primary" disabled={isPending || lacksWeights}>
        {isPending ? "Starting…" : "Start training"}
      </button>
    </form>
  );
}
