import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { SiteSwitcher } from "@/components/shell/site-switcher";
import { UserMenu } from "@/components/shell/user-menu";
import { authOptions } from "@/lib/auth-options";
import { roleLabel } from "@/lib/labels";
import { currentSite, getMe, hasRole, sitesOf } from "@/lib/viewer-context";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const session = await getServerSession(authOptions);
  if (!session) redirect("/sign-in");
  const me = await getMe();
  if (!me) redirect("/sign-in");
  const site = await currentSite(me);
  const nav = [
    hasRole(me, "ADMIN", "COORDINATOR", "ANNOTATOR", "ML_ENGINEER") && { href: "/cases", label: "Cases" },
    hasRole(me, "ADMIN", "COORDINATOR", "ML_ENGINEER") && { href: "/datasets", label: "Datasets" },
    hasRole(me, "ML_ENGINEER") && { href: "/training", label: "Training" },
    hasRole(me, "ML_ENGINEER", "COORDINATOR") && { href: "/models", label: "Models" },
    hasRole(me, "COORDINATOR") && { href: "/studies", label: "Reader studies" },
    hasRole(me, "READER") && { href: "/reading", label: "Reading" },
    hasRole(me, "ADMIN", "COORDINATOR") && { href: "/pacs", label: "PACS" },
    hasRole(me, "ADMIN") && { href: "/admin", label: "Admin" },
  ].filter((x): x is { href: string; label: string } => Boolean(x));
  const roles = me.memberships.map((m) => `${roleLabel(m.role)} · ${m.site.code}`);
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          Mammo Research
        </Link>
        <nav aria-label="Main">
          {nav.map((n) => (
            <Link key={n.href} href={n.href}>
              {n.label}
            </Link>
          ))}
        </nav>
        <span className="spacer" />
        <SiteSwitcher sites={sitesOf(me)} currentId={site?.id ?? null} />
        <UserMenu name={me.name} email={me.email} roles={roles} />
      </header>
      <main>{children}</main>
    </>
  );
}
