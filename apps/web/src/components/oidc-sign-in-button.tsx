"use client";

import { signIn } from "next-auth/react";

/** Hospital single sign-on (OpenID Connect), shown when the server has it configured. */
export function OidcSignInButton({ name, callbackUrl }: { name: string; callbackUrl: string }) {
  return (
    <button type="button" onClick={() => signIn("oidc", { callbackUrl })}>
      Sign in with {name}
    </button>
  );
}
