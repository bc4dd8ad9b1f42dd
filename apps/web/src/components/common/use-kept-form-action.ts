"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";

/**
 * useActionState for a form, without React's reset of the form after every submission: what was
 * typed stays when the server refuses it (a wrong email, bad JSON, an ended session), and the
 * form is cleared only after a success. Use as `<form onSubmit={submit}>`.
 */
export function useKeptFormAction<S extends { error?: string | null }>(
  action: (state: Awaited<S>, form: FormData) => Promise<S>,
  initial: Awaited<S>,
): [Awaited<S>, (event: React.FormEvent<HTMLFormElement>) => void, boolean] {
  const [state, dispatch, isPending] = useActionState<S, FormData>(action, initial);
  const form = useRef<HTMLFormElement | null>(null);
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    form.current = event.currentTarget;
    const data = new FormData(event.currentTarget);
    startTransition(() => dispatch(data));
  };
  useEffect(() => {
    if (state !== initial && !state.error) form.current?.reset();
  }, [state, initial]);
  return [state, submit, isPending];
}
