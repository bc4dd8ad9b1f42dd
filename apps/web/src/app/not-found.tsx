import Link from "next/link";

/** Any unknown address (outside the signed-in pages too): the app's look and a way back. */
export default function NotFound() {
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          Mammo Research
        </Link>
        <nav aria-label="Main">
          <Link href="/">Home</Link>
          <Link href="/sign-in">Sign in</Link>
        </nav>
      </header>
      <main>
        <section className="panel stack" style={{ maxWidth: 640 }}>
          <h1>Page not found</h1>
          <p className="muted">There is nothing at this address, or it is not visible to you.</p>
          <p>
            <Link href="/">Back to the start</Link>
          </p>
        </section>
      </main>
    </>
  );
}
