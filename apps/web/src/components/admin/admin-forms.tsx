"use client";

import { useActionState, useState, useTransition } from "react";
import { Feedback } from "@/components/common/form-feedback";
import { SelectField } from "@/components/common/form-fields";
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
  const [state, action, isPending] = useActionState(createUserAction, initial);
  return (
    <form action={action} className="stack" aria-label="New account">
      <input type="hidden" name="siteId" value={siteId} />
      <div className="row">
        <div className="field">
          <label htmlFor="nu-name">Name</label>
          <input id="nu-name" name="name" required />
        </div>
        <div className="field">
          <label htmlFor="nu-email">Email</label>
          <input id="nu-email" name="email" type="email" required />
        </div>
        <div className="field">
          <label htmlFor="nu-password">Password (12+ characters; empty for single sign-on only)</label>
          <input id="nu-password" name="password" type="password" minLength={12} autoComplete="new-password" />
        </div>
      </div>
      <fieldset>
        <legend>Roles at this site</legend>
        {ROLES.map((r) => (
          <label key={r} className="inline-field">
            <input type="checkbox" name="roles" value={r} defaultChecked={r === "READER"} /> {roleLabel(r)}
          </label>
        ))}
      </fieldset>
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isPending}>
        Create account
      </button>
    </form>
  );
}

export function AddMembershipForm({ siteId }: { siteId: string }) {
  const [state, action, isPending] = useActionState(addMembershipAction, initial);
  return (
    <form action={action} className="row" aria-label="Give a role">
      <input type="hidden" name="siteId" value={siteId} />
      <div className="field">
        <label htmlFor="am-email">Existing user&apos;s email</label>
        <input id="am-email" name="email" type="email" required />
      </div>
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
