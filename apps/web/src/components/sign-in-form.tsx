"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore } from "react";

const noSubscription = () => () => {};

export function SignInForm({ callbackUrl }: { callbackUrl: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);
  // True once React runs here: before that a submit is a plain POST that signs nobody in (tests wait for it).
  const isHydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (result?.ok) {
      router.replace(callbackUrl);
      router.refresh();
    } else {
      setError(result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong email or password.");
    }
  }

  return (
    // method="post": submitted before the page is hydrated, the password goes in the request
    // body, never into the URL and the browser's history.
    <form
      onSubmit={onSubmit}
      method="post"
      className="stack"
      aria-label="Sign in"
      data-hydrated={isHydrated || undefined}
    >
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input id="sign-in-email" name="email" type="email" autoComplete="username" required autoFocus />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input id="sign-in-password" name="password" type="password" autoComplete="current-password" required />
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <button className="primary" type="submit" disabled={isPending}>
        {isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
