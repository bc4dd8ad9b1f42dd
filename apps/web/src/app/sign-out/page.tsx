import { SignOutNow } from "@/components/sign-out-now";

export default function SignOutPage() {
  return (
    <main className="sign-in">
      <div className="panel stack">
        <h1>Sign out</h1>
        <SignOutNow />
      </div>
    </main>
  );
}
