"use client";

import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { createDatasetAction, type FormState } from "@/app/(app)/datasets/actions";
import { SUBTYPE_LABEL, SUBTYPES } from "@/lib/labels";

type Site = { id: string; code: string; name: string };

/** Defines a dataset by filters: sites, classes (in class-index order), views, lateralities. */
export function CreateDatasetForm({ coordinatorSites, allSites }: { coordinatorSites: Site[]; allSites: Site[] }) {
  const [state, action, isPending] = useKeptFormAction<FormState>(createDatasetAction, {
    error: null,
    savedAt: null,
  });
  return (
    <form onSubmit={action} className="stack" aria-label="New dataset">
      <div className="row">
        <div className="field">
          <label htmlFor="ds-name">Name</label>
          <input id="ds-name" name="name" required maxLength={200} />
        </div>
        <div className="field">
          <label htmlFor="ds-site">Coordinating site</label>
          <select id="ds-site" name="siteId" defaultValue={coordinatorSites[0]?.id}>
            {coordinatorSites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.code}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor="ds-description">Description</label>
        <input id="ds-description" name="description" maxLength={2000} />
      </div>
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
        {SUBTYPES.map((s) => (
          <label key={s} className="inline-field">
            <input
              type="checkbox"
              name="subtypes"
              value={s}
              defaultChecked={s === "TUBULE_FORMING" || s === "SOLID" || s === "SCIRRHOUS"}
            />{" "}
            {SUBTYPE_LABEL[s]}
          </label>
        ))}
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
          <input type="checkbox" name="requireConsensus" /> Only adjudicated cases
        </label>
      </fieldset>
      {state.error ? (
        <p role="alert" className="error">
          {state.error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={isPending}>
        {isPending ? "Creating…" : "Create dataset"}
      </button>
    </form>
  );
}
