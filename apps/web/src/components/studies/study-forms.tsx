"use client";

import { useActionState, useState, useTransition } from "react";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField, SubtypeCheckboxes } from "@/components/common/form-fields";
import { RadioChoices } from "@/components/common/radio-choices";
import { type FormState, INITIAL_FORM_STATE as initial } from "@/lib/form-state";
import {
  addCasesAction,
  addReaderAction,
  changeStudyStatusAction,
  createStudyAction,
  removeCaseAction,
  removeReaderAction,
  runStudyInferenceAction,
} from "@/app/(app)/studies/actions";
import { SUBTYPE_LABEL } from "@/lib/labels";

export function CreateStudyForm({
  sites,
  models,
}: {
  sites: { id: string; code: string }[];
  models: { id: string; label: string }[];
}) {
  const [state, action, isPending] = useActionState(createStudyAction, initial);
  return (
    <form action={action} className="stack" aria-label="New reader study">
      <div className="row">
        <div className="field">
          <label htmlFor="st-name">Name</label>
          <input id="st-name" name="name" required maxLength={200} />
        </div>
        <SelectField
          id="st-site"
          label="Coordinating site"
          name="siteId"
          options={sites.map((s) => ({ value: s.id, label: s.code }))}
        />
        <SelectField
          id="st-model"
          label="AI compared (and shown to the aided arm)"
          name="modelVersionId"
          defaultValue=""
          options={[{ value: "", label: "None" }, ...models.map((m) => ({ value: m.id, label: m.label }))]}
        />
        <div className="field">
          <label htmlFor="st-seed">Seed</label>
          <input id="st-seed" name="seed" type="number" style={{ width: 90 }} placeholder="random" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="st-description">Description</label>
        <input id="st-description" name="description" maxLength={2000} />
      </div>
      <RadioChoices
        legend="Readers answer per"
        name="unit"
        defaultValue="FINDING"
        choices={[
          ["FINDING", "Marked finding (the subtype of the outlined lesion)"],
          ["BREAST", "Breast"],
          ["CASE", "Whole case"],
        ]}
      />
      <fieldset>
        <legend>Arms</legend>
        <label className="inline-field">
          <input type="checkbox" name="arms" value="UNAIDED" defaultChecked /> Unaided
        </label>
        <label className="inline-field">
          <input type="checkbox" name="arms" value="AIDED" defaultChecked /> AI-aided (sequential: the AI after the
          unaided read)
        </label>
      </fieldset>
      <fieldset>
        <legend>Answers offered for the subtype question</legend>
        <SubtypeCheckboxes name="options" />
        <label className="inline-field">
          <input type="checkbox" name="roi" defaultChecked /> Optional ROI mark
        </label>
      </fieldset>
      <p className="muted">Every read also asks for a confidence (0–100).</p>
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Creating…" : "Create study"}
      </button>
    </form>
  );
}

export function AddCasesForm({
  studyId,
  candidates,
}: {
  studyId: string;
  candidates: { id: string; accessionKey: string; truth: string | null; site: string }[];
}) {
  const [state, action, isPending] = useActionState(addCasesAction, initial);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  if (candidates.length === 0) return <p className="muted">No more labelled cases to add.</p>;
  const toggleAll = () =>
    setChecked(checked.size === candidates.length ? new Set() : new Set(candidates.map((c) => c.id)));
  return (
    <form action={action} className="stack" aria-label="Add cases">
      <input type="hidden" name="studyId" value={studyId} />
      <div className="row">
        <button type="button" onClick={toggleAll}>
          {checked.size === candidates.length ? "Untick all" : "Tick all"}
        </button>
        <button type="submit" className="primary" disabled={isPending || checked.size === 0}>
          Add {checked.size || ""} case{checked.size === 1 ? "" : "s"}
        </button>
        <Feedback state={state} />
      </div>
      <div className="case-picker" role="group" aria-label="Labelled cases">
        {candidates.map((c) => (
          <label key={c.id} className="inline-field">
            <input
              type="checkbox"
              name="caseIds"
              value={c.id}
              checked={checked.has(c.id)}
              onChange={(e) => {
                const next = new Set(checked);
                if (e.target.checked) next.add(c.id);
                else next.delete(c.id);
                setChecked(next);
              }}
            />
            {c.accessionKey}{" "}
            <span className="muted">{c.truth ? SUBTYPE_LABEL[c.truth as keyof typeof SUBTYPE_LABEL] : ""}</span>
          </label>
        ))}
      </div>
    </form>
  );
}

export function AddReaderForm({ studyId, arms }: { studyId: string; arms: { kind: string; name: string }[] }) {
  const [state, action, isPending] = useActionState(addReaderAction, initial);
  return (
    <form action={action} className="row" aria-label="Add a reader">
      <input type="hidden" name="studyId" value={studyId} />
      <div className="field">
        <label htmlFor="rd-email">Reader email</label>
        <input id="rd-email" name="email" type="email" required />
      </div>
      <SelectField id="rd-arm" label="Arm" name="arm" options={arms.map((a) => ({ value: a.kind, label: a.name }))} />
      <button type="submit" disabled={isPending}>
        Add reader
      </button>
      <Feedback state={state} />
    </form>
  );
}

export function RemoveButton({ label, onRemove }: { label: string; onRemove: () => Promise<FormState> }) {
  const [state, setState] = useState(initial);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        className="link-button"
        disabled={isPending}
        aria-label={label}
        onClick={() => startTransition(async () => setState(await onRemove()))}
      >
        remove
      </button>
      <Feedback state={state} />
    </>
  );
}

export function RemoveReaderButton({
  studyId,
  studyReaderId,
  email,
}: {
  studyId: string;
  studyReaderId: string;
  email: string;
}) {
  return <RemoveButton label={`Remove ${email}`} onRemove={() => removeReaderAction(studyId, studyReaderId)} />;
}

export function RemoveCaseButton({ studyId, caseId, code }: { studyId: string; caseId: string; code: string }) {
  return <RemoveButton label={`Remove case ${code}`} onRemove={() => removeCaseAction(studyId, caseId)} />;
}

export function StatusButton({
  studyId,
  to,
  disabled,
}: {
  studyId: string;
  to: "OPEN" | "CLOSED";
  disabled?: boolean;
}) {
  const [state, setState] = useState(initial);
  const [isPending, startTransition] = useTransition();
  const label = to === "OPEN" ? "Open the study" : "Close the study";
  return (
    <span className="row">
      <button
        type="button"
        className="primary"
        disabled={disabled || isPending}
        onClick={() =>
          startTransition(async () => {
            const question =
              to === "OPEN"
                ? "Open the study? Each reader's case order is fixed and reading starts; cases and readers can no longer change."
                : "Close the study? Reading stops and the answers and the report become visible.";
            if (!window.confirm(question)) return;
            setState(await changeStudyStatusAction(studyId, to));
          })
        }
      >
        {isPending ? "…" : label}
      </button>
      <Feedback state={state} />
    </span>
  );
}

export function RunStudyInferenceButton({ studyId, modelVersionId }: { studyId: string; modelVersionId: string }) {
  const [state, setState] = useState(initial);
  const [isPending, startTransition] = useTransition();
  return (
    <span className="row">
      <button
        type="button"
        disabled={isPending}
        onClick={() => startTransition(async () => setState(await runStudyInferenceAction(studyId, modelVersionId)))}
      >
        Run the AI on the study&apos;s cases
      </button>
      <Feedback state={state} />
    </span>
  );
}
