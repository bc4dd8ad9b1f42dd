import { OidcSignInButton } from "@/components/oidc-sign-in-button";
import { SignInForm } from "@/components/sign-in-form";
import { authOptions } from "@/lib/auth-options";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only same-site paths: never bounce a user to another origin after sign-in.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  const oidc = authOptions.providers.find((p) => p.id === "oidc");
  return (
    <main className="sign-in">
      <div className="panel stack">
        <h1>Sign in</h1>
        <p className="muted">Mammo Research Platform</p>
        {error && error !== "CredentialsSignin" ? (
          <p role="alert" className="error">
            Single sign-on failed:{" "}
            {error === "OAuthSignin" || error === "OAuthCallback"
              ? "the sign-on service refused or could not be reached"
              : "your account is not linked to this platform"}
            .
          </p>
        ) : null}
        <SignInForm callbackUrl={target} />
        {oidc ? (
          <>
            <p className="muted or-line">or</p>
            <OidcSignInButton name={oidc.name} callbackUrl={target} />
          </>
        ) : null}
      </div>
    </main>
  );
}
