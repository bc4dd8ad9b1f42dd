"use client";

import { useKeptFormAction } from "@/components/common/use-kept-form-action";
import { useState, useTransition } from "react";
import { Feedback, FeedbackAndSubmit } from "@/components/common/form-feedback";
import { InputField, SelectField } from "@/components/common/form-fields";
import { INITIAL_FORM_STATE as initial } from "@/lib/form-state";
import { roleLabel } from "@/lib/labels";
import {
  addMembershipAction,
  createUserAction,
  removeMembershipAction,
  setUserDisabledAction,
} from "@/app/(app)/admin/actions";

const ROLES = ["ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER", "READER"] as const;

export function CreateUserForm({ siteId }: { siteId: string }) {
  const [state, action, isPending] = useKeptFormAction(createUserAction, initial);
  return (
    <form onSubmit={action} className="stack" aria-label="New account">
      <input type="hidden" name="siteId" value={siteId} />
      <div className="row">
        <InputField id="nu-name" label="Name" name="name" required />
        <InputField id="nu-email" label="Email" name="email" type="email" required />
        <InputField
          id="nu-password"
          label="Password (12+ characters; empty for single sign-on only)"
          name="password"
          type="password"
          minLength={12}
          autoComplete="new-password"
        />
      </div>
      <fieldset>
        <legend>Roles at this site</legend>
        {ROLES.map((r) => (
          <label key={r} className="inline-field">
            <input type="checkbox" name="roles" value={r} defaultChecked={r === "READER"} /> {roleLabel(r)}
          </label>
        ))}
      </fieldset>
      <FeedbackAndSubmit state={state} isDisabled={isPending}>
        Create account
      </FeedbackAndSubmit>
    </form>
  );
}

export function AddMembershipForm({ siteId }: { siteId: string }) {
  const [state, action, isPending] = useKeptFormAction(addMembershipAction, initial);
  return (
    <form onSubmit={action} className="row" aria-label="Give a role">
      <input type="hidden" name="siteId" value={siteId} />
      <InputField id="am-email" label="Existing user's email" name="email" type="email" required />
      <SelectField
        id="am-role"
        label="Role"
        name="role"
        options={ROLES.map((r) => ({ value: r, label: roleLabel(r) }))}
      />
      <button type="submit" disabled={isPending}>
        Give role
      </button>
      <Feedback state={state} />
    </form>
  );
}

export function RemoveMembershipButton({ id, label }: { id: string; label: string }) {
  const [state, setState] = useState(initial);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        className="link-button"
        aria-label={`Remove ${label}`}
        disabled={isPending}
        onClick={() => startTransition(async () => setState(await removeMembershipAction(id)))}
      >
        ×
      </button>
      <Feedback state={state} />
    </>
  );
}

export function DisableUserButton({ id, isDisabled, email }: { id: string; isDisabled: boolean; email: string }) {
  const [state, setState] = useState(initial);
  const [isPending, startTransition] = useTransition();
  return (
    <>
      <button
        type="button"
        disabled={isPending}
        aria-label={`${isDisabled ? "Enable" : "Disable"} ${email}`}
        onClick={() => startTransition(async () => setState(await setUserDisabledAction(id, !isDisabled)))}
      >
        {isDisabled ? "Enable" : "Disable"}
      </button>
      <Feedback state={state} />
    </>
  );
}
