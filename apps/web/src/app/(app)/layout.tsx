import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { SignOutButton } from "@/components/sign-out-button";
import { authOptions } from "@/lib/auth-options";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session) redirect("/sign-in");
  return (
    <>
      <header className="topbar">
        <Link href="/cases" className="brand">
          Mammo Research
        </Link>
        <nav aria-label="Main">
          <Link href="/cases">Cases</Link>
        </nav>
        <span className="spacer" />
        <span className="user">{session.user?.email}</span>
        <SignOutButton />
      </header>
      <main>{children}</main>
    </>
  );
}
