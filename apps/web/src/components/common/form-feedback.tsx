"use client";

import { usePathname } from "next/navigation";

type State = { error?: string | null; message?: string | null; field?: string | null; isSignedOut?: boolean };

/** A link to sign in again in a new tab, so this page keeps what was typed; then come back and save. */
export function SignInAgain() {
  const path = usePathname();
  return (
    <a href={`/sign-in?callbackUrl=${encodeURIComponent(path)}`} target="_blank" rel="noopener" className="button-link">
      Sign in again (new tab)
    </a>
  );
}

/** The error about one input, shown next to it. */
export function FieldError({ state, field }: { state: State; field: string }) {
  if (!state.error || state.field !== field) return null;
  return (
    <span role="alert" className="error small field-error">
      {state.error}
    </span>
  );
}

/**
 * The outcome of a form's last submission: an alert for an error (unless it is shown next to one
 * of `fields`), a status line for a message, a way to sign in again when the session ended.
 */
export function Feedback({ state, fields = [] }: { state: State; fields?: string[] }) {
  if (state.error && state.field && fields.includes(state.field)) return null;
  if (state.error)
    return (
      <div role="alert" className="error stack">
        <span>{state.error}</span>
        {state.isSignedOut ? <SignInAgain /> : null}
      </div>
    );
  if (state.message)
    return (
      <p role="status" className="muted">
        {state.message}
      </p>
    );
  return null;
}

/** A form's last outcome (`Feedback`) above its primary submit button, which is off while `isDisabled`. */
export function FeedbackAndSubmit({
  state,
  isDisabled,
  children,
}: {
  state: State;
  isDisabled: boolean;
  children: React.ReactNode;
}) {
  return (
    <>
      <Feedback state={state} />
      <button type="submit" className="primary" disabled={isDisabled}>
        {children}
      </button>
    </>
  );
}
