import type { FormState } from "@/lib/form-state";

/** The outcome of a form's last submission: an alert for an error, a status line for a message. */
export function Feedback({ state }: { state: FormState }) {
  if (state.error)
    return (
      <p role="alert" className="error">
        {state.error}
      </p>
    );
  if (state.message)
    return (
      <p role="status" className="muted">
        {state.message}
      </p>
    );
  return null;
}
