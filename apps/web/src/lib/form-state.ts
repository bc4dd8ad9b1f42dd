/** What a form's server action returns: an error to show, or a message saying what was done. */
export type FormState = {
  error: string | null;
  message: string | null;
  /** The input the error is about (shown next to it), when the API named one. */
  field?: string | null;
  /** The session ended: the form keeps its input until the user has signed in again. */
  isSignedOut?: boolean;
};

/** A form before its first submission. */
export const INITIAL_FORM_STATE: FormState = { error: null, message: null };
