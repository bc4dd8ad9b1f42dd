"use client";

import { useActionState } from "react";
import { createDatasetAction } from "@/app/(app)/datasets/actions";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField, SubtypeCheckboxes } from "@/components/common/form-fields";
import { RadioChoices } from "@/components/common/radio-choices";
import { INITIAL_FORM_STATE } from "@/lib/form-state";

type Site = { id: string; code: string; name: string };

/** Defines a dataset by filters: the unit of an item, sites, classes (in class-index order), views, lateralities. */
export function CreateDatasetForm({ coordinatorSites, allSites }: { coordinatorSites: Site[]; allSites: Site[] }) {
  const [state, action, isPending] = useActionState(createDatasetAction, INITIAL_FORM_STATE);
  return (
    <form action={action} className="stack" aria-label="New dataset">
      <div className="row">
        <div className="field">
          <label htmlFor="ds-name">Name</label>
          <input id="ds-name" name="name" required maxLength={200} />
        </div>
        <SelectField
          id="ds-site"
          label="Coordinating site"
          name="siteId"
          defaultValue={coordinatorSites[0]?.id}
          options={coordinatorSites.map((s) => ({ value: s.id, label: s.code }))}
        />
      </div>
      <div className="field">
        <label htmlFor="ds-description">Description</label>
        <input id="ds-description" name="description" maxLength={2000} />
      </div>
      <RadioChoices
        legend="One item per"
        name="unit"
        defaultValue="FINDING"
        choices={[
          ["FINDING", "Finding (the images of its breast)"],
          ["BREAST", "Breast"],
          ["IMAGE", "Image"],
        ]}
      />
      <fieldset>
        <legend>Sites drawn from</legend>
        {allSites.map((s) => (
          <label key={s.id} className="inline-field">
            <input type="checkbox" name="siteIds" value={s.id} defaultChecked /> {s.code}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Classes (at least two, in class-index order)</legend>
        <SubtypeCheckboxes name="subtypes" />
      </fieldset>
      <fieldset>
        <legend>Views and sides (none ticked: all)</legend>
        {["CC", "MLO"].map((v) => (
          <label key={v} className="inline-field">
            <input type="checkbox" name="views" value={v} /> {v}
          </label>
        ))}
        {["R", "L"].map((v) => (
          <label key={v} className="inline-field">
            <input type="checkbox" name="lateralities" value={v} /> {v === "R" ? "Right" : "Left"}
          </label>
        ))}
        <label className="inline-field">
          <input type="checkbox" name="requireConsensus" /> Only adjudicated truth
        </label>
      </fieldset>
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Creating…" : "Create dataset"}
      </button>
    </form>
  );
}
