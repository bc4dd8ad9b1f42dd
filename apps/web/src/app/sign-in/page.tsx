import { SignInForm } from "@/components/sign-in-form";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const { callbackUrl } = await searchParams;
  // Only same-site paths: never bounce a user to another origin after sign-in.
  const target = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/cases";
  return (
    <main className="sign-in">
      <div className="panel stack">
        <h1>Sign in</h1>
        <p className="muted">Mammo Research Platform</p>
        <SignInForm callbackUrl={target} />
      </div>
    </main>
  );
}
