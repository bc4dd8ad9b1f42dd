import { OidcSignInButton } from "@/components/oidc-sign-in-button";
import { SignInForm } from "@/components/sign-in-form";
import { authOptions } from "@/lib/auth-options";
import { appOrigin, safeCallbackPath } from "@/lib/safe-callback";

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string }>;
}) {
  const { callbackUrl, error } = await searchParams;
  // Only this app's own pages: never bounce a user to another origin after sign-in.
  const target = safeCallbackPath(callbackUrl, appOrigin());
  const oidc = authOptions.providers.find((p) => p.id === "oidc");
  return (
    <main className="sign-in">
      <div className="panel stack">
        <h1>Sign in</h1>
        <p className="muted">Mammo Research Platform</p>
        {error && error !== "CredentialsSignin" ? (
          <p role="alert" className="error">
            {ssoErrorMessage(error)}
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

/** Why a single sign-on ended back here (the API's refusal reason, or next-auth's error). */
function ssoErrorMessage(error: string): string {
  switch (error) {
    case "SSO_UNKNOWN_ACCOUNT":
      return "Single sign-on failed: no account on this platform belongs to your sign-on identity. Ask an admin of your site to create one for your email address.";
    case "SSO_EMAIL_UNVERIFIED":
      return "Single sign-on failed: the sign-on service has not verified your email address, so it cannot be matched to an account. Ask an admin of your site.";
    case "SSO_ACCOUNT_DISABLED":
      return "Single sign-on failed: your account is disabled. Ask an admin of your site.";
    case "SSO_LINKED_ELSEWHERE":
      return "Single sign-on failed: your account is linked to another sign-on identity. Ask an admin of your site to unlink it.";
    case "SSO_INVALID_TOKEN":
      return "Single sign-on failed: the sign-on service's answer could not be verified.";
    default:
      // SSO_PROVIDER_UNREACHABLE, and next-auth's OAuthSignin / OAuthCallback / Callback.
      return "Single sign-on failed: the sign-on service could not be reached or refused the sign-in.";
  }
}
