"use client";

import { useActionState, useState, useTransition } from "react";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField } from "@/components/common/form-fields";
import { type FormState, INITIAL_FORM_STATE as initial } from "@/lib/form-state";
import {
  removeAliasAction,
  requestConcordanceAction,
  requestEvaluationAction,
  requestInferenceAction,
  setAliasAction,
} from "@/app/(app)/models/actions";

export function AliasForm({ modelVersionId }: { modelVersionId: string }) {
  const [state, action, isPending] = useActionState(setAliasAction, initial);
  return (
    <form action={action} className="row" aria-label="Set an alias">
      <input type="hidden" name="modelVersionId" value={modelVersionId} />
      <div className="field">
        <label htmlFor="alias-name">Alias</label>
        <input
          id="alias-name"
          name="alias"
          required
          pattern={"[a-z0-9][a-z0-9\\-]*"}
          placeholder="production"
          title="lower-case letters, digits and dashes"
        />
      </div>
      <button type="submit" disabled={isPending}>
        Set alias here
      </button>
      <Feedback state={state} />
    </form>
  );
}

export function RemoveAliasButton({
  modelVersionId,
  alias,
  modelName,
  siteId,
}: {
  modelVersionId: string;
  alias: string;
  modelName: string;
  siteId: string;
}) {
  const [state, setState] = useState<FormState>(initial);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={isPending}
        onClick={() =>
          startTransition(async () => setState(await removeAliasAction(modelVersionId, alias, modelName, siteId)))
        }
        aria-label={`Remove alias ${alias}`}
      >
        remove
      </button>
      <Feedback state={state} />
    </>
  );
}

export function InferenceForm({
  modelVersionId,
  studies,
  versions,
}: {
  modelVersionId: string;
  studies: { id: string; name: string }[];
  versions: { id: string; label: string }[];
}) {
  const [state, action, isPending] = useActionState(requestInferenceAction, initial);
  return (
    <form action={action} className="row" aria-label="Run inference">
      <input type="hidden" name="modelVersionId" value={modelVersionId} />
      <div className="field">
        <label htmlFor="inf-target">On</label>
        <select id="inf-target" name="target" required defaultValue="">
          <option value="" disabled>
            Choose a study or dataset version…
          </option>
          {studies.length ? (
            <optgroup label="Reader studies">
              {studies.map((s) => (
                <option key={s.id} value={`study:${s.id}`}>
                  {s.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          {versions.length ? (
            <optgroup label="Dataset versions">
              {versions.map((v) => (
                <option key={v.id} value={`dataset:${v.id}`}>
                  {v.label}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </div>
      <button type="submit" disabled={isPending}>
        Run inference with Grad-CAM
      </button>
      <Feedback state={state} />
    </form>
  );
}

export function EvaluationForm({
  modelVersionId,
  versions,
}: {
  modelVersionId: string;
  versions: { id: string; label: string }[];
}) {
  const [state, action, isPending] = useActionState(requestEvaluationAction, initial);
  if (versions.length === 0) return null;
  return (
    <form action={action} className="row" aria-label="Evaluate">
      <input type="hidden" name="modelVersionId" value={modelVersionId} />
      <SelectField
        id="ev-version"
        label="Dataset version"
        name="datasetVersionId"
        options={versions.map((v) => ({ value: v.id, label: v.label }))}
      />
      <SelectField
        id="ev-split"
        label="Split"
        name="split"
        defaultValue="TEST"
        options={[
          { value: "TEST", label: "test" },
          { value: "VALIDATION", label: "validation" },
          { value: "TRAIN", label: "train" },
        ]}
      />
      <button type="submit" disabled={isPending}>
        Evaluate
      </button>
      <Feedback state={state} />
    </form>
  );
}

export function ConcordanceButton({
  modelVersionId,
  inferenceRunId,
}: {
  modelVersionId: string;
  inferenceRunId: string;
}) {
  const [state, setState] = useState<FormState>(initial);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={isPending}
        onClick={() =>
          startTransition(async () => setState(await requestConcordanceAction(modelVersionId, inferenceRunId)))
        }
      >
        Compare heatmaps with ROIs
      </button>
      <Feedback state={state} />
    </>
  );
}
