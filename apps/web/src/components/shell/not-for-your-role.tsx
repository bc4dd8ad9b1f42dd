import Link from "next/link";

/** A page opened by someone whose roles have nothing on it: say what it is for and where to go. */
export function NotForYourRole({
  what,
  forRoles,
  go,
}: {
  what: string;
  forRoles: string;
  go: { href: string; label: string };
}) {
  return (
    <section className="panel stack" style={{ maxWidth: 640 }}>
      <h1>{what}</h1>
      <p className="muted">This page is for {forRoles}. Your roles have nothing here.</p>
      <p>
        <Link href={go.href}>{go.label}</Link>
      </p>
    </section>
  );
}
