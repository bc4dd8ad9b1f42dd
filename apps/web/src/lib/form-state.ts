/** What a form's server action returns: an error to show, or a message saying what was done. */
export type FormState = { error: string | null; message: string | null };

/** A form before its first submission. */
export const INITIAL_FORM_STATE: FormState = { error: null, message: null };
