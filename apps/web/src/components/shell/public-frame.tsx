import Link from "next/link";

/**
 * The frame of the pages outside the signed-in shell (an unknown address, the root error page):
 * the app's top bar with the way home or to sign in, and `children` as the main content.
 * `hasPlainLinks`: links load whole pages, for when the app's own rendering is what failed.
 */
export function PublicFrame({
  hasPlainLinks = false,
  children,
}: {
  hasPlainLinks?: boolean;
  children: React.ReactNode;
}) {
  const A = hasPlainLinks ? "a" : Link;
  return (
    <>
      <header className="topbar">
        <A href="/" className="brand">
          Mammo Research
        </A>
        <nav aria-label="Main">
          <A href="/">Home</A>
          <A href="/sign-in">Sign in</A>
        </nav>
      </header>
      <main>{children}</main>
    </>
  );
}
